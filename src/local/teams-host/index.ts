/**
 * The local Teams host: what a newcomer opens at the URL `npm start` prints. It stands in for Microsoft
 * Teams (tab host, bot chat, connector service) so Keepsafe can be tried with no Microsoft account.
 */

export { registerTeamsHost, isLoopback, type TeamsHostOptions } from "./register-teams-host.js";
export { buildTeamsHostAssets, type TeamsHostAssets } from "./build-assets.js";
export {
  createLocalConnector,
  conversationIdFor,
  type LocalConnector,
  type LocalConnectorOptions,
  type Activity,
  type TranscriptEntry,
} from "./local-connector.js";
export { defaultMfaFor, type HostStaff, type HostPageConfig } from "./host-config.js";
