// Communications Credits on Azure: Cosmos DB, Key Vault, App Service (api + bot + tab), Azure Bot.
// One module per resource under modules/; this file only wires them. Outputs are written to
// env/.env.<env> by Teams Toolkit's arm/deploy.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string

@description('Client id of the bot\'s Entra app (botAadApp/create)')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app; stored in Key Vault only')
param botAadAppClientSecret string

@allowed([ 'MultiTenant', 'SingleTenant', 'UserAssignedMSI' ])
@description('Azure no longer creates new multi-tenant bot registrations; SingleTenant uses botAppTenantId')
param botAppType string = 'SingleTenant'

@description('Tenant of the bot\'s Entra app (SingleTenant)')
param botAppTenantId string = tenant().tenantId

@description('Client id of the SSO Entra app (aadApp/create)')
param aadAppClientId string

@secure()
@description('Client secret of the SSO Entra app, used for Graph app permissions; empty = keep the local directory')
param aadAppClientSecret string = ''

@description('Card processor base URL (Stripe wire format), e.g. https://api.stripe.com')
param processorUrl string

@secure()
@description('Card processor secret key (PROCESSOR_SECRET_KEY)')
param processorSecretKey string

param tags object = {
  app: 'communications-credits'
}

// Globally unique names derived from the base name and the resource group.
var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var cosmosAccountName = toLower('${take(resourceBaseName, 20)}-cosmos-${suffix}')
var keyVaultName = 'kv${take(replace(toLower(resourceBaseName), '-', ''), 9)}${take(suffix, 13)}'

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: cosmosAccountName
    location: location
    databaseName: 'credits'
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    botPassword: botAadAppClientSecret
    graphClientSecret: aadAppClientSecret
    processorSecretKey: processorSecretKey
  }
}

module appService 'modules/appservice.bicep' = {
  name: 'appservice'
  params: {
    planName: resourceBaseName
    siteName: resourceBaseName
    location: location
    sku: webAppSku
    tags: tags
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    aadAppClientId: aadAppClientId
    botId: botAadAppClientId
    botType: botAppType
    botTenantId: botAppType == 'MultiTenant' ? '' : botAppTenantId
    botPasswordSecretUri: keyVault.outputs.botPasswordSecretUri
    graphClientSecretUri: keyVault.outputs.graphClientSecretUri
    processorUrl: processorUrl
    processorSecretKeyUri: keyVault.outputs.processorSecretKeyUri
  }
}

module cosmosRole 'modules/cosmos-role.bicep' = {
  name: 'cosmos-role'
  params: {
    cosmosAccountName: cosmos.outputs.accountName
    principalId: appService.outputs.principalId
  }
}

module keyVaultAccess 'modules/keyvault-access.bicep' = {
  name: 'keyvault-access'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: appService.outputs.principalId
  }
}

module bot 'modules/botservice.bicep' = {
  name: 'botservice'
  params: {
    name: resourceBaseName
    displayName: botDisplayName
    tags: tags
    botAppId: botAadAppClientId
    botAppType: botAppType
    botAppTenantId: botAppTenantId
    messagingDomain: appService.outputs.domain
  }
}

// Persisted to env/.env.<env>; names follow the Teams Toolkit templates.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = appService.outputs.siteId
output BOT_DOMAIN string = appService.outputs.domain
output BOT_ENDPOINT string = appService.outputs.endpoint
output TAB_DOMAIN string = appService.outputs.domain
output TAB_ENDPOINT string = appService.outputs.endpoint
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output KEY_VAULT_NAME string = keyVault.outputs.name
output BOT_SERVICE_NAME string = bot.outputs.botName
