// Communications Credits on Azure: managed identity, monitoring, Cosmos DB, Key Vault, App Service
// (api + bot + tab), Azure Bot with the Teams channel. One module per resource under modules/; this
// file only wires them. Teams Toolkit's arm/deploy passes azure.parameters.json (its ${{...}} values
// come from env/.env.<env>) and writes the outputs back to env/.env.<env>.
// Check it without deploying: `az bicep build --file infra/azure.bicep --stdout > /dev/null`.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string

@description('Client id of the SSO Entra app (aadApp/create)')
param aadAppClientId string

@secure()
@description('Client secret of the SSO Entra app, used for Graph app permissions; empty = Graph settings not set')
param aadAppClientSecret string = ''

@description('Card processor base URL (Stripe wire format), e.g. https://api.stripe.com')
param processorUrl string

@description('Mailbox notification e-mails are sent from (Graph sendMail; grant Mail.Send scoped to it with Exchange RBAC for Applications). Empty: no e-mail fallback')
param notifySenderMailbox string = ''

@secure()
@description('Card processor secret key (PROCESSOR_SECRET_KEY)')
param processorSecretKey string

@allowed([ 'serverless', 'autoscale' ])
@description('Cosmos DB capacity: serverless (pay per request, default) or autoscale (provisioned, shared by the database)')
param cosmosThroughputMode string = 'serverless'

@minValue(1000)
@description('Cosmos DB autoscale maximum RU/s (autoscale only)')
param cosmosAutoscaleMaxThroughput int = 1000

param tags object = {
  app: 'communications-credits'
}

// Globally unique names derived from the base name and the resource group.
var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var cosmosAccountName = toLower('${take(resourceBaseName, 20)}-cosmos-${suffix}')
var keyVaultName = 'kv${take(replace(toLower(resourceBaseName), '-', ''), 9)}${take(suffix, 13)}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${resourceBaseName}-identity'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: resourceBaseName
    location: location
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: cosmosAccountName
    location: location
    databaseName: 'credits'
    tags: tags
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module cosmosRole 'modules/cosmos-role.bicep' = {
  name: 'cosmos-role'
  params: {
    cosmosAccountName: cosmos.outputs.accountName
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    graphClientSecret: aadAppClientSecret
    processorSecretKey: processorSecretKey
  }
}

// Before the site: its Key Vault references resolve with this role.
module keyVaultAccess 'modules/keyvault-access.bicep' = {
  name: 'keyvault-access'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: identity.outputs.principalId
  }
}

module appService 'modules/appservice.bicep' = {
  name: 'appservice'
  dependsOn: [ keyVaultAccess, cosmosRole ]
  params: {
    planName: resourceBaseName
    siteName: resourceBaseName
    location: location
    sku: webAppSku
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityTenantId: identity.outputs.tenantId
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    aadAppClientId: aadAppClientId
    graphClientSecretUri: keyVault.outputs.graphClientSecretUri
    processorUrl: processorUrl
    processorSecretKeyUri: keyVault.outputs.processorSecretKeyUri
    notifySenderMailbox: notifySenderMailbox
    appInsightsConnectionString: monitoring.outputs.connectionString
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module bot 'modules/botservice.bicep' = {
  name: 'botservice'
  params: {
    name: resourceBaseName
    displayName: botDisplayName
    tags: tags
    botAppId: identity.outputs.clientId
    botAppTenantId: identity.outputs.tenantId
    botAppMsiResourceId: identity.outputs.id
    messagingDomain: appService.outputs.domain
  }
}

// Persisted to env/.env.<env>; names follow the Teams Toolkit templates.
output BOT_ID string = identity.outputs.clientId
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = appService.outputs.siteId
output BOT_DOMAIN string = appService.outputs.domain
output BOT_ENDPOINT string = appService.outputs.endpoint
output TAB_DOMAIN string = appService.outputs.domain
output TAB_ENDPOINT string = appService.outputs.endpoint
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output KEY_VAULT_NAME string = keyVault.outputs.name
output BOT_SERVICE_NAME string = bot.outputs.botName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
