/** The sandbox's HTML page: what Keepsafe "sent", for demos and for checking by eye. */
import type { RecordedGraphRequest } from "./recorded-request.js";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function mailRow(r: Extract<RecordedGraphRequest, { kind: "mail" }>): string {
  const to = r.body.message.toRecipients.map((t) => t.emailAddress.address).join(", ");
  // The body is shown as text, never rendered: the page must not run whatever a caller sent.
  return `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.userId)}</td><td>${escapeHtml(to)}</td>
<td>${escapeHtml(r.body.message.subject)}${r.duplicate ? ' <strong class="dup">(resend)</strong>' : ""}</td>
<td><pre>${escapeHtml(r.body.message.body.content)}</pre></td></tr>`;
}

function notificationRow(r: Extract<RecordedGraphRequest, { kind: "activity-notification" }>): string {
  const b = r.body;
  const params = b.templateParameters.map((p) => `${p.name}=${p.value}`).join("; ");
  return `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.userId)}</td><td>${escapeHtml(b.activityType)}</td>
<td>${escapeHtml(b.previewText.content)}</td><td>${escapeHtml(params)}</td>
<td><a href="${escapeHtml(b.topic.webUrl ?? "")}">${escapeHtml(b.topic.value)}</a></td></tr>`;
}

export function renderSandboxPage(requests: readonly RecordedGraphRequest[]): string {
  const newestFirst = [...requests].reverse();
  const mails = newestFirst.filter((r) => r.kind === "mail");
  const notes = newestFirst.filter((r) => r.kind === "activity-notification");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keepsafe Graph sandbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0}.dup{color:#a00}</style>
</head><body>
<h1>Keepsafe Graph sandbox</h1>
<p>Requests Keepsafe sent to this local stand-in for Microsoft Graph. Nothing here left this machine.</p>
<h2>Activity feed notifications (${notes.length})</h2>
<table><thead><tr><th>At</th><th>User</th><th>Activity type</th><th>Preview</th><th>Template parameters</th><th>Topic / link</th></tr></thead>
<tbody>${notes.map(notificationRow).join("\n")}</tbody></table>
<h2>Emails (${mails.length})</h2>
<table><thead><tr><th>At</th><th>Mailbox</th><th>To</th><th>Subject</th><th>Body</th></tr></thead>
<tbody>${mails.map(mailRow).join("\n")}</tbody></table>
</body></html>`;
}
