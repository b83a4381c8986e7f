// The user-assigned managed identity the Function App runs as; role assignments are made where the
// resources are (storage, eventhubs, cosmos, keyvault modules), each the least the platform needs.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
