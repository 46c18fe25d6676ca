// Grants a principal (the web app's managed identity) Cosmos DB Built-in Data Contributor on the
// account: read and write items, no control-plane rights, no keys.
param cosmosAccountName string
@description('Object id of the principal, e.g. the web app system-assigned identity.')
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
