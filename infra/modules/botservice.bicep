// Azure Bot registration pointing at the web app's /api/messages, with the Teams channel. Its
// identity is the app's user-assigned managed identity (UserAssignedMSI): no client secret; new
// multi-tenant registrations are no longer possible.
@maxLength(64)
param name string
@maxLength(42)
param displayName string
param tags object = {}
param sku string = 'F0'

@description('Client id, tenant and resource id of the user-assigned identity (identity.bicep).')
param botAppId string
param botAppTenantId string
param botAppMsiResourceId string

@description('Public host name of the app that serves POST /api/messages.')
param messagingDomain string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: 'https://${messagingDomain}/api/messages'
    msaAppId: botAppId
    msaAppType: 'UserAssignedMSI'
    msaAppTenantId: botAppTenantId
    msaAppMSIResourceId: botAppMsiResourceId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botName string = bot.name
