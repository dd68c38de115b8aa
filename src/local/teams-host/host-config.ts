/**
 * What the server tells the host page, embedded in the HTML as JSON. Shared by both sides so the page
 * and the routes cannot drift apart.
 */

export interface HostStaff {
  oid: string;
  displayName: string;
  /** A stable role code from the demo school, e.g. "DSL" or "Teacher". */
  role: string;
  /** What the picker shows, e.g. "DSL (head teacher)". */
  label: string;
  email: string;
}

export interface HostPageConfig {
  appName: string;
  staff: HostStaff[];
  tenantId: string;
  /** The tab, relative to the host's origin. The host adds `hostOrigin` to its query. */
  tabUrl: string;
  /** Where the chat pane POSTs activities, as Teams' channel service would. */
  botEndpoint: string;
  botId: string;
  /** The tab's entityId from the manifest; the SDK reports it as page.id. */
  entityId: string;
  graphSandboxUrl?: string;
}

/**
 * Leaders with access to sensitive categories are signed in with MFA by Keepsafe's conditional access
 * policy, so by default their local tokens carry it. The checkbox lets a tester see the step-up path.
 */
export const defaultMfaFor = (role: string): boolean => /dsl|slt|head/i.test(role);

/** The id of the JSON script element in the host page that carries this config. */
export const HOST_CONFIG_ELEMENT_ID = "keepsafe-host-config";
