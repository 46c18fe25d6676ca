// Linux App Service (Node 20) hosting api + bot + the built tab on one port (API.md).
// System-assigned identity: Cosmos DB data access and Key Vault references, no keys in settings.
param planName string
param siteName string
param location string
param sku string = 'B1'
param tags object = {}

param cosmosEndpoint string
param cosmosDatabaseName string = 'credits'

@description('Client id of the SSO Entra app (Teams SSO tokens are issued for it).')
param aadAppClientId string

param botId string
@allowed([ 'MultiTenant', 'SingleTenant', 'UserAssignedMSI' ])
param botType string
param botTenantId string = ''

@description('Key Vault secret URI of the bot password (a Key Vault reference, never the value).')
param botPasswordSecretUri string
@description('Key Vault secret URI of the Graph client secret; empty = Graph settings not set.')
param graphClientSecretUri string = ''

@description('Card processor base URL and the Key Vault URI of its secret key')
param processorUrl string
param processorSecretKeyUri string

var port = '8080'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // The tab is built at deploy time (teamsapp.yml); the package is read-only at run time.
      appCommandLine: 'node --import tsx api/src/index.ts'
      healthCheckPath: '/api/health'
    }
  }
}

var domain = site.properties.defaultHostName

var graphSettings = empty(graphClientSecretUri) ? {} : {
  GRAPH_BASE_URL: 'https://graph.microsoft.com'
  GRAPH_CLIENT_ID: aadAppClientId
  GRAPH_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${graphClientSecretUri})'
}

// A child resource, so the settings can use the site's own host name.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union({
    NODE_ENV: 'production'
    PORT: port
    WEBSITES_PORT: port
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    COSMOS_ENDPOINT: cosmosEndpoint
    COSMOS_DATABASE: cosmosDatabaseName
    AUTH_MODE: 'entra'
    ENTRA_CLIENT_ID: aadAppClientId
    ENTRA_AUDIENCE: 'api://${domain}/${aadAppClientId}'
    BOT_ID: botId
    BOT_TYPE: botType
    BOT_TENANT_ID: botTenantId
    BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordSecretUri})'
    SEED_DEMO: 'false'
    PROCESSOR_URL: processorUrl
    PROCESSOR_SECRET_KEY: '@Microsoft.KeyVault(SecretUri=${processorSecretKeyUri})'
  }, graphSettings)
}

output siteName string = site.name
output siteId string = site.id
output domain string = domain
output endpoint string = 'https://${domain}'
output principalId string = site.identity.principalId
