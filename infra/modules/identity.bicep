// One user-assigned managed identity for the app: it is the bot's identity (msaAppType
// UserAssignedMSI, no secret), it reads and writes Cosmos DB data (data-plane role only) and it
// resolves the app settings' Key Vault references.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
