/**
 * A stand-in Teams page hosting one dialog page in an iframe: it answers teams-js as a dialog
 * (frameContext "task"), hands out `token` for SSO when given, and keeps what dialog.url.submit
 * hands back (tasks.completeTask) in window.__completed, which Teams would send to the bot.
 */
export interface DialogHost {
  dialogUrl: string;
  title: string;
  width: number;
  height: number;
  /** The SSO token authentication.getAuthToken answers with; without one the call goes unanswered. */
  token?: string;
}

export const dialogHostPage = (host: DialogHost) => `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Teams (test host, dialog)</title></head>
<body style="margin:0">
<iframe id="dialog" src="${host.dialogUrl}" title="${host.title}" style="border:0;width:${host.width}px;height:${host.height}px"></iframe>
<script>
window.__completed = undefined;
const runtime = { apiVersion: 4, isLegacyTeams: false, supports: { app: {}, appInitialization: {}, dialog: { url: {}, update: {} } } };
const handlers = {
  initialize: () => ["task", "web", JSON.stringify(runtime), "2.58.0"],${
    host.token === undefined ? "" : `\n  "authentication.getAuthToken": () => [true, ${JSON.stringify(host.token)}],`
  }
  "tasks.completeTask": (args) => { window.__completed = args[0]; return []; },
};
window.addEventListener("message", (event) => {
  const frame = document.getElementById("dialog").contentWindow;
  if (event.source !== frame || !event.data || typeof event.data.func !== "string") return;
  const handler = handlers[event.data.func];
  if (!handler) return;
  event.source.postMessage({ id: event.data.id, uuidAsString: event.data.uuidAsString, args: handler(event.data.args || []) }, event.origin);
});
</script></body></html>`;
