// Azure Cosmos DB (NoSQL API): one account, database "credits", every container partitioned by
// /tenantId (DESIGN.md §3). Serverless: pay per request, which suits a billing workload's bursts.
@description('Cosmos DB account name (globally unique, lowercase).')
@maxLength(44)
param accountName string
param location string
param databaseName string = 'credits'
param tags object = {}

var containers = [
  { name: 'accounts', uniqueKeys: [] }
  // A ledger entry's `ref` (what caused it) is unique per tenant: a replay cannot post twice.
  { name: 'ledger', uniqueKeys: [ { paths: [ '/ref' ] } ] }
  { name: 'payments', uniqueKeys: [] }
  { name: 'idempotency', uniqueKeys: [] }
  { name: 'licenses', uniqueKeys: [] }
  { name: 'usage', uniqueKeys: [] }
  { name: 'rollups', uniqueKeys: [] }
  { name: 'outbox', uniqueKeys: [] }
  { name: 'conversations', uniqueKeys: [] }
  { name: 'audit', uniqueKeys: [] }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      { name: 'EnableServerless' }
    ]
    // Only Entra ID (the web app's managed identity) may touch data: no account keys.
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for c in containers: {
  parent: database
  name: c.name
  properties: {
    resource: {
      id: c.name
      partitionKey: {
        paths: [ '/tenantId' ]
        kind: 'Hash'
        version: 2
      }
      uniqueKeyPolicy: {
        uniqueKeys: c.uniqueKeys
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [ { path: '/*' } ]
        excludedPaths: [ { path: '/"_etag"/?' } ]
      }
    }
  }
}]

output accountName string = account.name
output accountId string = account.id
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
