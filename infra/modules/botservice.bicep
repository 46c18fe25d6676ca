// Azure Bot registration pointing at the web app's /api/messages, with the Teams channel.
@maxLength(64)
param name string
@maxLength(42)
param displayName string
param tags object = {}
param sku string = 'F0'

param botAppId string
@allowed([ 'MultiTenant', 'SingleTenant', 'UserAssignedMSI' ])
param botAppType string
param botAppTenantId string = ''
@description('Resource id of the user-assigned identity when botAppType is UserAssignedMSI.')
param botAppMsiResourceId string = ''

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
    msaAppType: botAppType
    msaAppTenantId: botAppType == 'MultiTenant' ? '' : botAppTenantId
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? botAppMsiResourceId : ''
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
