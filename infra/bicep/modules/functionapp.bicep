// The Function App: Linux Elastic Premium (no cold start for the Event Hubs trigger, VNet-ready),
// running as the user-assigned identity. Every setting the platform reads is here (checked by
// AzureAppSettingsTest); none is a secret: storage, Event Hubs and Cosmos DB are reached with the identity.
param name string
param location string
param tags object
param planSku string
param runtime string
param identityId string
param identityClientId string
param storageAccountName string
param lakeRoot string
param eventHubsNamespace string
param eventHubsConsumerGroup string
param cosmosEndpoint string
param cosmosDatabase string
param cosmosContainer string
param appInsightsConnectionString string
param keyVaultUri string
param mergeSchedule string
param compactSchedule string
param vacuumSchedule string
param landingScanSchedule string
@description('Most bytes of local copies of lake files the SQL endpoint keeps on the host\'s temporary disk')
param sqlCacheBytes string = '2147483648'

var profiles = runtime == 'custom' ? 'azure,eventhubs-entra,functions-native' : 'azure,eventhubs-entra,functions-jvm'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 20
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
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
      linuxFxVersion: runtime == 'java' ? 'Java|17' : ''
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      alwaysOn: false
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: runtime
        }
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'QUARKUS_PROFILE'
          value: profiles
        }
        {
          name: 'HYBRIDLAKE_LAKE_ROOT'
          value: lakeRoot
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmosEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabase
        }
        {
          name: 'COSMOS_CONTAINER'
          value: cosmosContainer
        }
        {
          name: 'EVENTHUBS_NAMESPACE'
          value: eventHubsNamespace
        }
        {
          name: 'EVENTHUBS__fullyQualifiedNamespace'
          value: '${eventHubsNamespace}.servicebus.windows.net'
        }
        {
          name: 'EVENTHUBS__credential'
          value: 'managedidentity'
        }
        {
          name: 'EVENTHUBS__clientId'
          value: identityClientId
        }
        {
          name: 'EVENTHUBS_CONSUMER_GROUP'
          value: eventHubsConsumerGroup
        }
        {
          name: 'MERGE_SCHEDULE'
          value: mergeSchedule
        }
        {
          name: 'SQL_CACHE_BYTES'
          value: sqlCacheBytes
        }
        {
          name: 'COMPACT_SCHEDULE'
          value: compactSchedule
        }
        {
          name: 'VACUUM_SCHEDULE'
          value: vacuumSchedule
        }
        {
          name: 'LANDING_SCAN_SCHEDULE'
          value: landingScanSchedule
        }
        {
          name: 'KEY_VAULT_URI'
          value: keyVaultUri
        }
        {
          // A worker that ran out of heap exits and is restarted, resuming from the lake (never limps on).
          // The throughput collector: the stream path drains a backlog 1.3-1.7x faster than under G1 (BENCHMARKS.md).
          name: 'languageWorkers__java__arguments'
          value: '-XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError'
        }
      ]
    }
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
