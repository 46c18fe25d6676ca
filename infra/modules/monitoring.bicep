// Log Analytics workspace and a workspace-based Application Insights. The web app sends its
// console output (the app's JSON logs, pino) and HTTP logs to the workspace through diagnostic
// settings (appservice.bicep), and the Application Insights agent adds requests and dependencies.
param name string
param location string
param tags object = {}
@description('Days the workspace keeps logs (30 is included in the per-GB price).')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: false
  }
}

output workspaceId string = workspace.id
output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
