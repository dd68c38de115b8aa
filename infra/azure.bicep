// Keepsafe in Azure: what `atk provision` (arm/deploy in m365agents.yml) creates in one resource group.
// Every setting src/config.ts reads is given to the web app below, secrets as Key Vault references;
// test/infra/infra-matches-code.test.ts checks this file against the code, since no Bicep compiler
// runs in CI here.

@maxLength(20)
@minLength(4)
@description('Used to name every resource in this file.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. Premium v3 gives zone redundancy and several instances.')
param webAppSku string = 'P1v3'

@minValue(2)
@description('Web app instances. Keepsafe keeps no state in the process that another instance needs: records, drafts and the alert outbox (with its ETag lease) live in Cosmos DB.')
param webAppInstanceCount int = 2

@allowed([
  'serverless'
  'autoscale'
])
@description('Serverless suits one school; autoscale (shared database throughput) suits a trust with many schools.')
param cosmosCapacityMode string = 'serverless'

@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

// The defaults match src/config.ts (COSMOS_DATABASE, BLOB_CONTAINER).
param cosmosDatabaseName string = 'keepsafe'
param blobContainerName string = 'evidence'

@description('The Keepsafe Entra app (tab SSO audience, app-only Graph): aadApp/create in m365agents.yml.')
param aadAppClientId string
param aadAppTenantId string
@description('OpenID authority, https://login.microsoftonline.com/{tenant-id}.')
param aadAppOauthAuthority string
@secure()
param aadAppClientSecret string

@description('The single-tenant bot app registration: a second aadApp/create in m365agents.yml.')
param botAadAppClientId string
@secure()
param botAadAppClientSecret string
@maxLength(42)
param botDisplayName string

param teamsAppId string

@description('The shared mailbox alert emails are sent from (restrict Mail.Send to it with Exchange RBAC for Applications).')
param graphAlertsMailbox string
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('Conditional access authentication context that counts as MFA (e.g. c1); empty: the amr claim decides.')
param mfaAuthContext string = ''

@description('The school\'s own host name for Keepsafe, if it has one bound to the web app; empty: {name}.azurewebsites.net.')
param customDomain string = ''

param outboxIntervalMs int = 2000
param outboxRetryBaseMs int = 30000

@description('How long a claim on an alert holds (ms, at least 20000, above Graph\'s 15 s timeout): an alert a killed instance had claimed is sent after it.')
@minValue(20000)
param outboxLeaseMs int = 60000

// Requests per minute (src/config.ts defaults). Each instance counts in its own memory, so with
// webAppInstanceCount instances a client can reach up to that many times these numbers.
param rateLimitUserPerMinute int = 600
param rateLimitIpPerMinute int = 6000
param rateLimitBotPerMinute int = 600
param logLevel string = 'info'

// Where staff roles come from (README, "Roles from Entra"): staff-csv, app-roles, groups or app-roles,groups.
@description('staff-csv (default), app-roles, groups or app-roles,groups.')
param roleSource string = 'staff-csv'
@description('App role value=ROLE pairs, comma-separated; empty: the four app roles in aad.manifest.json.')
param appRoleMap string = ''
@description('Security group object id=ROLE pairs, comma-separated; needed when roleSource names groups.')
param groupRoleMap string = ''
@description('Minutes between syncs of the role directory from Microsoft Graph, when roleSource is not staff-csv.')
@minValue(1)
@maxValue(1440)
param roleSyncMinutes int = 15

@description('Hours before an upload no stored record holds (a form never completed) is deleted.')
@minValue(169)
@maxValue(2160)
param orphanUploadHours int = 192

@description('Most rows a list (My actions) answers before it says it was cut short.')
@minValue(1)
@maxValue(500)
param listMax int = 500

// Web app, Cosmos DB, Key Vault, storage and bot names are global: the suffix, stable for one
// resource group, keeps them unique.
var uniqueSuffix = substring(uniqueString(resourceGroup().id, resourceBaseName), 0, 6)
var globalName = '${resourceBaseName}-${uniqueSuffix}'
var webAppName = globalName
var keyVaultName = 'kv${take(resourceBaseName, 15)}${uniqueSuffix}'
var storageAccountName = toLower('st${take(replace(resourceBaseName, '-', ''), 16)}${uniqueSuffix}')
var publicHostName = empty(customDomain) ? webApp.properties.defaultHostName : customDomain
// App Service routes to the port it gives the process; Keepsafe reads PORT.
var appPort = '8080'

// Built-in role definitions.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var cosmosBuiltInDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// ---------------------------------------------------------------------------------------------
// Cosmos DB: the layout of src/adapters/cosmos/cosmos-containers.ts. Keepsafe also creates
// missing containers at start-up (createIfNotExists), but that never changes an existing
// container's indexing policy, so this is where the layout is kept true in Azure. Data-plane
// RBAC (managed identity) cannot create containers at all, another reason they are declared here.
// ---------------------------------------------------------------------------------------------

// Free text is read with its record, never filtered on: not indexed (cosmos-containers.ts).
var excludedTextPaths = [
  { path: '/account/?' }
  { path: '/summary/?' }
  { path: '/entry/summary/?' }
  { path: '/text/?' }
  { path: '/content/*' }
  { path: '/bodyMap/*' }
  { path: '/files/*' }
  { path: '/origin/*' }
  { path: '/"_etag"/?' }
]

var recordIndexing = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    { path: '/*' }
  ]
  excludedPaths: excludedTextPaths
}

var cosmosContainers = [
  {
    name: 'schools'
    partitionKey: '/id'
    indexingPolicy: recordIndexing
  }
  {
    name: 'pupils'
    partitionKey: '/schoolId'
    indexingPolicy: recordIndexing
  }
  {
    name: 'staff'
    partitionKey: '/schoolId'
    indexingPolicy: recordIndexing
  }
  {
    // A pupil's chronology: one single-partition query ordered by occurredAt within a type.
    name: 'records'
    partitionKey: '/pupilId'
    indexingPolicy: union(recordIndexing, {
      compositeIndexes: [
        [
          { path: '/type', order: 'ascending' }
          { path: '/occurredAt', order: 'descending' }
        ]
      ]
    })
  }
  {
    name: 'submissions'
    partitionKey: '/id'
    indexingPolicy: recordIndexing
  }
  {
    // Staff id -> conversation reference for alert cards: point reads and upserts only.
    name: 'conversations'
    partitionKey: '/id'
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: []
      excludedPaths: [
        { path: '/*' }
      ]
    }
  }
  {
    // The outbox's due index (cosmos-outbox-due.ts): a few shards, each asked for entries due by now.
    name: 'outbox-due'
    partitionKey: '/shard'
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/shard/?' }
        { path: '/dueAt/?' }
      ]
      excludedPaths: [
        { path: '/*' }
      ]
    }
  }
  {
    // Each school's role directory synced from Entra, and the sync's lease: point reads and ETag writes only.
    name: 'directory'
    partitionKey: '/id'
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: []
      excludedPaths: [
        { path: '/*' }
      ]
    }
  }
  {
    // Drafts expire by their own ttl (-1: on, no default expiry); only point reads, so barely indexed.
    name: 'drafts'
    partitionKey: '/submissionId'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/schoolId/?' }
      ]
      excludedPaths: [
        { path: '/*' }
      ]
    }
  }
]

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: '${globalName}-cosmos'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: cosmosCapacityMode == 'serverless' ? [
      { name: 'EnableServerless' }
    ] : []
    // Key auth stays on: src/config.ts reads COSMOS_KEY. Turn this to true once the adapter uses
    // the managed identity (see the note by the app settings).
    disableLocalAuth: false
    minimalTlsVersion: 'Tls12'
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: cosmosCapacityMode == 'autoscale' ? {
      autoscaleSettings: {
        maxThroughput: cosmosAutoscaleMaxThroughput
      }
    } : {}
  }
}

resource cosmosContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for c in cosmosContainers: {
  parent: cosmosDatabase
  name: c.name
  properties: {
    resource: {
      id: c.name
      partitionKey: {
        paths: [
          c.partitionKey
        ]
        kind: 'Hash'
      }
      indexingPolicy: c.indexingPolicy
      defaultTtl: c.?defaultTtl
    }
  }
}]

// ---------------------------------------------------------------------------------------------
// Blob storage for evidence files (BLOB_CONTAINER). Private; soft delete keeps a mistaken delete
// recoverable for a month.
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Shared keys stay on: src/config.ts reads BLOB_CONNECTION_STRING (see the note by the app settings).
    allowSharedKeyAccess: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 30
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 30
    }
  }
}

resource evidenceContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: blobContainerName
  properties: {
    publicAccess: 'None'
  }
}

// ---------------------------------------------------------------------------------------------
// Identity, secrets and monitoring
// ---------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource aadAppClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'aad-app-client-secret'
  properties: {
    value: aadAppClientSecret
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource cosmosKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'cosmos-key'
  properties: {
    value: cosmos.listKeys().primaryMasterKey
  }
}

resource blobConnectionStringSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'blob-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

// The web app resolves its Key Vault references with the identity.
resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Granted ahead of the code: both SDKs accept a token credential, and with these roles the keys
// can go (see the note by the app settings).
resource blobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosBuiltInDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosBuiltInDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 90
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: logAnalytics.id
  }
}

// ---------------------------------------------------------------------------------------------
// The web app: Node 20 on Linux, `npm start` (src/main.ts), several instances.
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: webAppInstanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    // No sticky sessions: any instance can answer any request.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// Separate from the site so the settings can use the site's own host name. These are all the
// settings there are: anything set by hand in the portal is replaced on the next provision.
//
// Managed identity instead of keys: @azure/cosmos and @azure/storage-blob both take a
// TokenCredential. The code would then need COSMOS_ENDPOINT with AZURE_CLIENT_ID (this identity's
// clientId, for DefaultAzureCredential) instead of COSMOS_KEY, and a blob account URL
// (https://{account}.blob.core.windows.net) instead of BLOB_CONNECTION_STRING; the roles above are
// already granted. Until then the keys live only in Key Vault.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // App Service
    WEBSITES_PORT: appPort
    // npm install runs on App Service's Linux, so platform binaries (esbuild) match it.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
    AZURE_CLIENT_ID: identity.properties.clientId
    // Server
    PORT: appPort
    HOST: '0.0.0.0'
    PUBLIC_URL: 'https://${publicHostName}'
    // Only local parts keep data there; start-up creates it, so it must be writable.
    KEEPSAFE_DATA_DIR: '/tmp/keepsafe'
    LOG_LEVEL: logLevel
    // One JSON object a line for Application Insights (production is JSON anyway; this says so).
    LOG_FORMAT: 'json'
    // Cosmos DB
    COSMOS_ENDPOINT: cosmos.properties.documentEndpoint
    COSMOS_KEY: '@Microsoft.KeyVault(SecretUri=${cosmosKeySecret.properties.secretUri})'
    COSMOS_DATABASE: cosmosDatabaseName
    // Blob storage
    BLOB_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${blobConnectionStringSecret.properties.secretUri})'
    BLOB_CONTAINER: blobContainerName
    // Microsoft Graph
    GRAPH_BASE_URL: graphBaseUrl
    GRAPH_ALERTS_MAILBOX: graphAlertsMailbox
    // Entra ID
    AUTH_AUTHORITY: aadAppOauthAuthority
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${aadAppClientSecretSecret.properties.secretUri})'
    TENANT_ID: aadAppTenantId
    // The tab's SSO token carries the client id or the Application ID URI (aad.manifest.json).
    API_AUDIENCE: '${aadAppClientId},api://${publicHostName}/${aadAppClientId}'
    MFA_AUTH_CONTEXT: mfaAuthContext
    KEEPSAFE_ROLE_SOURCE: roleSource
    KEEPSAFE_APP_ROLE_MAP: appRoleMap
    KEEPSAFE_GROUP_ROLE_MAP: groupRoleMap
    KEEPSAFE_ROLE_SYNC_MINUTES: string(roleSyncMinutes)
    KEEPSAFE_ORPHAN_UPLOAD_HOURS: string(orphanUploadHours)
    KEEPSAFE_LIST_MAX: string(listMax)
    // Bot Framework, single tenant
    BOT_ID: botAadAppClientId
    BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})'
    BOT_TENANT_ID: aadAppTenantId
    // Teams app and alert outbox
    TEAMS_APP_ID: teamsAppId
    OUTBOX_INTERVAL_MS: string(outboxIntervalMs)
    OUTBOX_RETRY_BASE_MS: string(outboxRetryBaseMs)
    OUTBOX_LEASE_MS: string(outboxLeaseMs)
    RATE_LIMIT_USER_PER_MINUTE: string(rateLimitUserPerMinute)
    RATE_LIMIT_IP_PER_MINUTE: string(rateLimitIpPerMinute)
    RATE_LIMIT_BOT_PER_MINUTE: string(rateLimitBotPerMinute)
  }
  dependsOn: [
    keyVaultSecretsUser
    cosmosContainer
    evidenceContainer
  ]
}

// pino writes JSON lines to stdout; App Service sends them to Log Analytics.
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: webApp
  name: 'keepsafe-logs'
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: single tenant (new multi-tenant registrations ended in 2025), Teams channel only.
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: globalName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${publicHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: aadAppTenantId
    msaAppType: 'SingleTenant'
  }
}

resource botTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written to env/.env.{name} by the toolkit; the deploy and package steps read them.
output KEEPSAFE_APP_SERVICE_RESOURCE_ID string = webApp.id
output PUBLIC_URL string = 'https://${publicHostName}'
output TAB_ENDPOINT string = 'https://${publicHostName}'
output TAB_DOMAIN string = publicHostName
output BOT_DOMAIN string = publicHostName
output COSMOS_ENDPOINT string = cosmos.properties.documentEndpoint
output KEY_VAULT_NAME string = keyVault.name
