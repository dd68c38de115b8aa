// A minimal stand-in for Teams, just enough for the tab's own browser tests:
// a page that hosts the tab in an iframe and answers teams-js's postMessage
// protocol. The tab posts {id, uuidAsString, func, args} to window.parent and
// the host replies {id, uuidAsString, args}. The full local Teams host lives in
// src/local/teams-host/; this one stays small on purpose.

export interface HostStubOptions {
  /** Legacy context subEntityId, read by the tab as page.subPageId (e.g. "incident:inc-1"). */
  subPageId?: string;
  theme?: "default" | "dark" | "contrast";
  /** Tokens handed out by authentication.getAuthToken, in turn; the last one repeats. */
  tokens: string[];
  /** What authentication.authenticate (the MFA popup) returns. */
  stepUpToken: string;
}

export function hostPageHtml(options: HostStubOptions): string {
  // JSON inside a <script>: escape "<" so no value can close the tag.
  const config = JSON.stringify(options).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Teams (test host)</title>
<style>
  html, body { margin: 0; height: 100%; font-family: "Segoe UI", sans-serif; }
  body { display: grid; grid-template-rows: 48px 1fr; background: #ebebeb; }
  .bar { background: #464775; color: white; display: flex; align-items: center; padding: 0 16px; font-weight: 600; }
  iframe { border: 0; width: 100%; height: 100%; background: white; }
</style></head>
<body>
<div class="bar">Microsoft Teams (test host) · Keepsafe</div>
<iframe id="tab" src="/index.html" title="Keepsafe"></iframe>
<script>
const config = ${config};
const calls = [];
const authenticateUrls = [];
window.__hostCalls = calls;
window.__authenticateUrls = authenticateUrls;
let tokenIndex = 0;
const runtime = { apiVersion: 4, isLegacyTeams: false, supports: {
  app: {}, appInitialization: {}, authentication: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {} }, teamsCore: {},
} };
const handlers = {
  initialize: () => ["content", "web", JSON.stringify(runtime), "2.58.0"],
  getContext: () => [{
    locale: "en-GB", theme: config.theme || "default", frameContext: "content", hostClientType: "web",
    entityId: "keepsafe", subEntityId: config.subPageId, userObjectId: "00000000-0000-0000-0000-000000000001",
    loginHint: "dsl@school.example", userPrincipalName: "dsl@school.example", tid: "00000000-0000-0000-0000-0000000000aa",
  }],
  "authentication.getAuthToken": () => {
    const token = config.tokens[Math.min(tokenIndex, config.tokens.length - 1)];
    tokenIndex += 1;
    return [true, token];
  },
  "authentication.authenticate": (args) => { authenticateUrls.push(args[0]); return [true, config.stepUpToken]; },
};
window.addEventListener("message", (event) => {
  const frame = document.getElementById("tab").contentWindow;
  if (event.source !== frame || !event.data || typeof event.data.func !== "string") return;
  calls.push(event.data.func);
  const handler = handlers[event.data.func];
  if (!handler) return; // one-way notifications (appInitialization.success and the like)
  event.source.postMessage({ id: event.data.id, uuidAsString: event.data.uuidAsString, args: handler(event.data.args || []) }, event.origin);
});
</script>
</body></html>
`;
}
