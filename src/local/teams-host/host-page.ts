/** The HTML of the local Teams host page. The config rides along as JSON, escaped so it cannot end the script. */

import { HOST_CONFIG_ELEMENT_ID, type HostPageConfig } from "./host-config.js";

/**
 * The host page's Content-Security-Policy, sent with the page and everything else the host serves.
 * Its script, styles, the tab it frames, the dialogs and the bot are all on this same server, and
 * it sets styles through the CSSOM only, which style-src does not govern, so no 'unsafe-inline'.
 * Nothing may frame the host: it is the top window.
 */
export const HOST_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function renderHostPage(config: HostPageConfig): string {
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  const title = escapeHtml(config.appName);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — local Teams</title>
<link rel="stylesheet" href="/teams-host/host-style.css">
<script type="application/json" id="${HOST_CONFIG_ELEMENT_ID}">${json}</script>
<script type="module" src="/teams-host/host.js"></script>
</head>
<body>
<header class="kh-bar">
  <h1>${title} <small>· local Teams (no Microsoft account)</small></h1>
  <label>Sign in as <select id="kh-user"></select></label>
  <label title="Whether this sign-in counts as having passed multi-factor authentication"><input type="checkbox" id="kh-mfa"> passed MFA</label>
  <label title="The Teams theme the tab and dialogs are told about">Theme <select id="kh-theme"></select></label>
  <label title="Show the tab at a phone's width, as Teams mobile does"><input type="checkbox" id="kh-phone"> phone width (360 px)</label>
  <a id="kh-graph" target="_blank" rel="noopener">Emails and notifications sent (Graph sandbox)</a>
</header>
<main class="kh-main">
  <section class="kh-tab-pane" aria-label="${title} tab"><iframe id="kh-tab" title="${title} tab"></iframe></section>
  <section class="kh-chat-pane" aria-labelledby="kh-chat-title">
    <h2 id="kh-chat-title">Chat with ${title}</h2>
    <div id="kh-transcript" aria-live="polite"></div>
    <form id="kh-compose" autocomplete="off">
      <input name="message" aria-label="Type a message" placeholder="Type a message">
      <button type="submit">Send</button>
    </form>
  </section>
</main>
</body>
</html>`;
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
