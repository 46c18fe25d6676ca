// Key Vault for the app's secrets. RBAC authorisation; the web app reads secrets through
// Key Vault references once keyvault-access.bicep grants its user-assigned identity "Key Vault Secrets User".
@maxLength(24)
param name string
param location string
param tags object = {}

@secure()
@description('Client secret of the SSO Entra app, used for Graph app permissions. Empty = not stored.')
param graphClientSecret string = ''

@secure()
@description('Card processor secret key (PROCESSOR_SECRET_KEY).')
param processorSecretKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource graphClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(graphClientSecret)) {
  parent: vault
  name: 'graph-client-secret'
  properties: {
    value: graphClientSecret
  }
}

output name string = vault.name
resource processorSecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'processor-secret-key'
  properties: {
    value: processorSecretKey
  }
}

output processorSecretKeyUri string = processorSecretKeySecret.properties.secretUri
output graphClientSecretUri string = empty(graphClientSecret) ? '' : graphClientSecretSecret.properties.secretUri
