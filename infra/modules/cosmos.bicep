// Azure Cosmos DB (NoSQL API): one account, database "credits", the containers of
// api/src/store/containers.ts (test/deploy/infra.test.ts checks this list against that one:
// names, partition keys, unique keys, time to live, indexing policies). Keep one container per line.
// The app creates nothing in Azure: at start it checks that these exist and stops naming what is missing.
@description('Cosmos DB account name (globally unique, lowercase).')
@maxLength(44)
param accountName string
param location string
param databaseName string = 'credits'
param tags object = {}

@allowed([ 'serverless', 'autoscale' ])
@description('serverless: pay per request (default). autoscale: provisioned throughput shared by the database.')
param throughputMode string = 'serverless'

@minValue(1000)
@description('autoscale only: the database\'s maximum RU/s (it scales between 10% of this and this).')
param autoscaleMaxThroughput int = 1000

@minValue(1)
@description('How long usage records and their rollups are kept, in days (Cosmos DB TTL after the last write); 396 = 13 months.')
param usageRetentionDays int = 396
var usageTtl = usageRetentionDays * 86400
// partitionKey: '/tenantId' for containers small per tenant or kept briefly; '/pk' (= '<tenantId>|<yyyy-mm>', written by
// the app) for those that grow every month and are kept long (usage, audit): a tenant's month is one logical partition,
// so none nears Cosmos DB's 20 GB per logical partition (containers.ts; README: Capacity).
// defaultTtl: seconds a document lives after its last write; -1 = never expires (containers.ts: RETENTION_DAYS).
// includedPaths: the only paths indexed, those the container's queries filter or order by (containers.ts,
// checked against every query by test/unit/indexing.test.ts); every other path is excluded ('/*'), so writes
// index a few terms. [] = read by id only, nothing indexed.
var containers = [
  { name: 'accounts', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: -1, includedPaths: [ { path: '/tenantId/?' }, { path: '/id/?' }, { path: '/paymentMethodId/?' }, { path: '/recharge/status/?' }, { path: '/recharge/nextRetryAt/?' }, { path: '/recharge/leaseUntil/?' }, { path: '/head/lots/[]/expiresAt/?' } ] }
  { name: 'ledger', partitionKey: '/tenantId', uniqueKeys: [ { paths: [ '/ref' ] } ], defaultTtl: -1, includedPaths: [ { path: '/tenantId/?' }, { path: '/ref/?' }, { path: '/seq/?' } ] }
  { name: 'payments', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: -1, includedPaths: [ { path: '/tenantId/?' }, { path: '/type/?' }, { path: '/createdAt/?' }, { path: '/state/updatedAt/?' } ] }
  { name: 'idempotency', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: 2592000, includedPaths: [] }
  { name: 'licenses', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: -1, includedPaths: [ { path: '/tenantId/?' } ] }
  { name: 'usage', partitionKey: '/pk', uniqueKeys: [], defaultTtl: usageTtl, includedPaths: [ { path: '/tenantId/?' }, { path: '/day/?' }, { path: '/sortKey/?' }, { path: '/batchRef/?' }, { path: '/chargedTo/?' }, { path: '/startDateTime/?' }, { path: '/chargeMicros/?' } ] }
  { name: 'rollups', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: usageTtl, includedPaths: [ { path: '/tenantId/?' }, { path: '/type/?' }, { path: '/state/?' }, { path: '/openedAt/?' } ] }
  { name: 'outbox', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: 7776000, includedPaths: [ { path: '/tenantId/?' }, { path: '/kind/?' }, { path: '/sortKey/?' }, { path: '/deliveredAt/?' }, { path: '/type/?' }, { path: '/eventId/?' }, { path: '/held/reason/?' } ] }
  { name: 'conversations', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: -1, includedPaths: [ { path: '/tenantId/?' }, { path: '/type/?' }, { path: '/scope/?' }, { path: '/teamId/?' }, { path: '/savedAt/?' } ] }
  { name: 'audit', partitionKey: '/pk', uniqueKeys: [], defaultTtl: -1, includedPaths: [] }
  { name: 'state', partitionKey: '/tenantId', uniqueKeys: [], defaultTtl: -1, includedPaths: [] }
]

var serverless = throughputMode == 'serverless'

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
    capabilities: serverless ? [ { name: 'EnableServerless' } ] : []
    // Only Entra ID (the app's managed identity) may touch data: no account keys.
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
    options: serverless ? {} : {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
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
        paths: [ c.partitionKey ]
        kind: 'Hash'
        version: 2
      }
      uniqueKeyPolicy: {
        uniqueKeys: c.uniqueKeys
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: c.includedPaths
        excludedPaths: [ { path: '/*' } ]
      }
      defaultTtl: c.defaultTtl == -1 ? null : c.defaultTtl
    }
  }
}]

output accountName string = account.name
output accountId string = account.id
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
