// Hybridlake on Azure: the Lambda-Kappa platform as Azure Functions over one Delta lake in ADLS Gen2.
// One module per concern; identities instead of secrets (the Function App's user-assigned managed
// identity holds data-plane roles on Storage, Event Hubs and Cosmos DB, nothing more).
targetScope = 'resourceGroup'

@description('Environment name (dev, prod): part of every resource name.')
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Pipelines: one event hub each (hybridlake.<name>), partitions per hub.')
param pipelines array = [
  'transactions'
  'user_events'
]

@description('Event Hubs partitions per hub (the stream path parallelism).')
@minValue(1)
@maxValue(32)
param partitions int = 4

@description('Event Hubs tier: Standard or Premium (both serve the Kafka endpoint).')
@allowed([
  'Standard'
  'Premium'
])
param eventHubsSku string = 'Standard'

@description('Function App plan: EP1..EP3 (Elastic Premium, Linux).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param planSku string = 'EP1'

@description('How the functions run: custom (the native executable, functions/) or java (the JVM build).')
@allowed([
  'custom'
  'java'
])
param functionsRuntime string = 'custom'

@description('Schedule of the MERGE + curation timer (NCRONTAB).')
param mergeSchedule string = '0 */15 * * * *'

@description('Schedule of the compaction timer (NCRONTAB).')
param compactSchedule string = '0 5 * * * *'

@description('Schedule of the vacuum timer (NCRONTAB).')
param vacuumSchedule string = '0 30 */6 * * *'

@description('Schedule of the landing-zone scan timer (NCRONTAB).')
param landingScanSchedule string = '30 * * * * *'

@description('Days a speed-cache window lives after its last update (Cosmos DB TTL).')
param windowTtlDays int = 7

@description('Cosmos DB: serverless for dev, provisioned autoscale throughput for prod.')
param cosmosServerless bool = true

var suffix = uniqueString(resourceGroup().id, environmentName)
var prefix = 'hl${environmentName}'
var tags = {
  application: 'hybridlake'
  environment: environmentName
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${prefix}-id-${suffix}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    prefix: prefix
    suffix: suffix
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('${prefix}lake${suffix}', 24)
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    name: '${prefix}-eh-${suffix}'
    location: location
    tags: tags
    sku: eventHubsSku
    hubs: [for p in pipelines: 'hybridlake.${p}']
    partitions: partitions
    principalId: identity.outputs.principalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: '${prefix}-cosmos-${suffix}'
    location: location
    tags: tags
    serverless: cosmosServerless
    windowTtlSeconds: windowTtlDays * 86400
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('${prefix}-kv-${suffix}', 24)
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${prefix}-func-${suffix}'
    location: location
    tags: tags
    planSku: planSku
    runtime: functionsRuntime
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    lakeRoot: storage.outputs.lakeRoot
    eventHubsNamespace: eventHubs.outputs.namespace
    eventHubsConsumerGroup: eventHubs.outputs.consumerGroup
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.database
    cosmosContainer: cosmos.outputs.container
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    mergeSchedule: mergeSchedule
    compactSchedule: compactSchedule
    vacuumSchedule: vacuumSchedule
    landingScanSchedule: landingScanSchedule
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = functionApp.outputs.url
output lakeRoot string = storage.outputs.lakeRoot
output eventHubsNamespace string = eventHubs.outputs.namespace
output cosmosEndpoint string = cosmos.outputs.endpoint
