// Grants the app's managed identity Cosmos DB Built-in Data Contributor on the account: read and
// write items and read metadata (the start-up check of database and containers), no control-plane
// rights, no keys. The app creates nothing in Azure: cosmos.bicep creates the containers.
param cosmosAccountName string
@description('Object (principal) id of the user-assigned identity.')
param principalId string

// Built-in role: Cosmos DB Built-in Data Contributor.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' existing = {
  name: cosmosAccountName
}

resource assignment 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}
