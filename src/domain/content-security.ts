/**
 * The Content-Security-Policy of Keepsafe's own pages (the tab and the dialog pages). Kept here
 * because both the tab's build (the page's meta tag) and the server (the response header) need the
 * same policy, and the domain is what the tab may share with the server. A meta tag cannot set
 * frame-ancestors, so only the header carries it.
 */

/**
 * The Teams and Microsoft 365 hosts that may frame a tab or a dialog, from Microsoft's "Tab
 * requirements" page (learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements).
 * *.cloud.microsoft is where Teams, Outlook and Microsoft 365 on the web are moving.
 */
export const TEAMS_FRAME_ANCESTORS = [
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://*.cloud.microsoft",
  "https://*.microsoft365.com",
  "https://*.office.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
] as const;

/**
 * teams-js fetches its list of valid host origins from this CDN (validOriginsCdnEndpoint in
 * @microsoft/teams-js's internal/constants.js) and falls back to its built-in list when it can't.
 */
export const TEAMS_JS_ENDPOINTS = ["https://res.cdn.office.net"] as const;

const connectSrc = `connect-src 'self' ${TEAMS_JS_ENDPOINTS.join(" ")}`;

// Each page is one bundled script from the same server. Fluent's Griffel inserts styles at run
// time, which needs 'unsafe-inline' for styles (never for scripts).
export const TAB_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  connectSrc,
  "base-uri 'none'",
  "form-action 'none'",
] as const;

/** As the tab's, but no fonts: the dialogs use the system's. */
export const DIALOG_PAGE_POLICY = TAB_PAGE_POLICY.filter((d) => !d.startsWith("font-src"));

export const policyText = (directives: readonly string[]) => directives.join("; ");

/** The header's policy: the page's own plus who may frame it. */
export const withFrameAncestors = (directives: readonly string[], ancestors: readonly string[]) =>
  policyText([...directives, `frame-ancestors ${ancestors.join(" ")}`]);
