// Event Hubs (Kafka endpoint on, Standard or Premium), one hub per pipeline named as the Kafka topic
// (hybridlake.<pipeline>: clients cannot create topics on Event Hubs), a consumer group for the stream
// path, local (SAS) auth off: the identity has Data Receiver and Data Sender, nothing else.
param name string
param location string
param tags object
param sku string
param hubs array
param partitions int
param principalId string

var dataReceiver = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
var dataSender = '2b629674-e913-4c01-ae53-ef4638d8f975'
var consumerGroupName = 'hybridlake-stream'

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: 1
  }
  properties: {
    kafkaEnabled: true
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: sku == 'Standard'
    maximumThroughputUnits: sku == 'Standard' ? 10 : 0
  }
}

resource eventHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [for hub in hubs: {
  parent: namespace
  name: hub
  properties: {
    partitionCount: partitions
    messageRetentionInDays: 7
  }
}]

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [for (hub, i) in hubs: {
  parent: eventHub[i]
  name: consumerGroupName
}]

resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: namespace
  name: guid(namespace.id, principalId, dataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: namespace
  name: guid(namespace.id, principalId, dataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output namespace string = namespace.name
output consumerGroup string = consumerGroupName
