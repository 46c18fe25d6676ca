// Linux App Service (Node 20) hosting api + bot + the built tab on one port (API.md). It runs the
// output of `npm run package:deploy` with plain node: compiled JavaScript and production
// dependencies only. One user-assigned identity: Cosmos DB data access (AZURE_CLIENT_ID tells
// DefaultAzureCredential which one), the bot's identity (UserAssignedMSI) and Key Vault references.
param planName string
param siteName string
param location string
param sku string = 'B1'
param tags object = {}

@description('Resource id and client id of the user-assigned identity (identity.bicep).')
param identityId string
param identityClientId string
param identityTenantId string

param cosmosEndpoint string
param cosmosDatabaseName string = 'credits'

@description('Client id of the SSO Entra app (Teams SSO tokens are issued for it; Graph app permissions).')
param aadAppClientId string

@description('Key Vault secret URI of the Graph client secret; empty = Graph settings not set.')
param graphClientSecretUri string = ''

@description('Card processor base URL and the Key Vault URI of its secret key')
param processorUrl string
param processorSecretKeyUri string

@description('Mailbox notification e-mails are sent from (NOTIFY_SENDER_MAILBOX); empty = no e-mail')
param notifySenderMailbox string = ''

@description('Application Insights connection string and the Log Analytics workspace for console logs.')
param appInsightsConnectionString string
param logAnalyticsWorkspaceId string

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
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // The zip from `npm run package:deploy`: compiled JavaScript, the built tab, production node_modules.
      appCommandLine: 'node --max-semi-space-size=32 api/dist/index.js'
      healthCheckPath: '/api/health'
    }
  }
}

var domain = site.properties.defaultHostName

var mailSettings = empty(notifySenderMailbox) ? {} : {
  NOTIFY_SENDER_MAILBOX: notifySenderMailbox
}

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
    AZURE_CLIENT_ID: identityClientId
    COSMOS_ENDPOINT: cosmosEndpoint
    COSMOS_DATABASE: cosmosDatabaseName
    AUTH_MODE: 'entra'
    ENTRA_CLIENT_ID: aadAppClientId
    ENTRA_AUDIENCE: 'api://${domain}/${aadAppClientId}'
    BOT_ID: identityClientId
    BOT_TYPE: 'UserAssignedMSI'
    BOT_TENANT_ID: identityTenantId
    SEED_DEMO: 'false'
    PROCESSOR_URL: processorUrl
    PROCESSOR_SECRET_KEY: '@Microsoft.KeyVault(SecretUri=${processorSecretKeyUri})'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  }, graphSettings, mailSettings)
}

// The app logs JSON lines (pino) to stdout: App Service console logs go to the workspace, where
// Application Insights (workspace-based) queries them beside its requests.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'logs-to-workspace'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

output siteName string = site.name
output siteId string = site.id
output domain string = domain
output endpoint string = 'https://${domain}'
