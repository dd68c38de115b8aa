/**
 * The local Teams host page: sign in as a demo member of staff, the Keepsafe tab on the left, the chat with
 * the bot on the right. Everything talks to the one local Keepsafe server; no Microsoft account needed.
 */

import { HOST_CONFIG_ELEMENT_ID, defaultMfaFor, type HostPageConfig, type HostStaff } from "../host-config.js";
import { BotClient } from "./bot-client.js";
import { CardActions } from "./card-actions.js";
import { ChatPane } from "./chat-pane.js";
import { DialogHost } from "./dialog-host.js";
import { TEAMS_THEMES, TeamsJsHost, isTeamsTheme, type TeamsTheme } from "./teams-js-host.js";

const USER_KEY = "keepsafe-local-host-user";
const THEME_KEY = "keepsafe-local-host-theme";
const THEME_LABELS: Record<TeamsTheme, string> = { default: "Light (default)", dark: "Dark", contrast: "High contrast" };

const config = JSON.parse(document.getElementById(HOST_CONFIG_ELEMENT_ID)!.textContent!) as HostPageConfig;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const picker = $<HTMLSelectElement>("kh-user");
const mfaBox = $<HTMLInputElement>("kh-mfa");
const tabFrame = $<HTMLIFrameElement>("kh-tab");
const graphLink = $<HTMLAnchorElement>("kh-graph");
const themePicker = $<HTMLSelectElement>("kh-theme");
const phoneBox = $<HTMLInputElement>("kh-phone");

let current: HostStaff = pickInitialUser();

for (const s of config.staff) picker.append(new Option(`${s.label} — ${s.displayName}`, s.oid, false, s.oid === current.oid));
if (config.graphSandboxUrl) graphLink.href = config.graphSandboxUrl;
else graphLink.hidden = true;

const dialogs = new DialogHost();
const teams = new TeamsJsHost({
  tenantId: config.tenantId,
  entityId: config.entityId,
  currentUser: () => current,
  subPageId,
  getAuthToken,
  openDialog: (request, registerFrame) =>
    request.url
      ? dialogs.openUrl({ url: request.url, title: request.title, width: request.width, height: request.height }, registerFrame)
      : Promise.reject(new Error("Card dialogs opened from the tab are not supported by the local host")),
  closeDialog: (result) => dialogs.complete(result),
  openDeepLink,
});

const bot = new BotClient(config, () => current);
const actions = new CardActions(
  bot,
  dialogs,
  (win) => teams.registerDialogFrame(win),
  () => teams.currentTheme,
);

const initialTheme = pickInitialTheme();
for (const t of TEAMS_THEMES) themePicker.append(new Option(THEME_LABELS[t], t, false, t === initialTheme));
showTheme(initialTheme);
// Teams does not reload the tab for a new theme: it tells the tab, which must restyle itself.
themePicker.addEventListener("change", () => {
  const theme = isTeamsTheme(themePicker.value) ? themePicker.value : "default";
  localStorage.setItem(THEME_KEY, theme);
  showTheme(theme);
});
phoneBox.checked = new URLSearchParams(location.search).get("phone") === "1";
document.body.classList.toggle("kh-phone", phoneBox.checked);
phoneBox.addEventListener("change", () => document.body.classList.toggle("kh-phone", phoneBox.checked));
const chat = new ChatPane($("kh-transcript"), $<HTMLFormElement>("kh-compose"), bot, actions);

picker.addEventListener("change", () => signIn(config.staff.find((s) => s.oid === picker.value) ?? current));
// A new MFA state only matters for the next token, so reload the tab to ask for one.
mfaBox.addEventListener("change", loadTab);
window.addEventListener("hashchange", loadTab);
signIn(current);

function signIn(user: HostStaff) {
  current = user;
  localStorage.setItem(USER_KEY, user.oid);
  mfaBox.checked = defaultMfaFor(user.role);
  document.title = `${config.appName} — ${user.displayName} (local Teams)`;
  loadTab();
  chat.switchUser(user);
}

function loadTab() {
  if (tabFrame.contentWindow) teams.registerContentFrame(tabFrame.contentWindow);
  const url = new URL(config.tabUrl, location.origin);
  url.searchParams.set("hostOrigin", location.origin);
  // A different query string makes the browser load the tab afresh, so it asks for the new user's context.
  url.searchParams.set("localUser", current.oid);
  tabFrame.src = url.href;
}

function showTheme(theme: TeamsTheme) {
  teams.setTheme(theme);
  document.body.dataset.theme = theme;
}

function pickInitialTheme(): TeamsTheme {
  const wanted = new URLSearchParams(location.search).get("theme") ?? localStorage.getItem(THEME_KEY);
  return isTeamsTheme(wanted) ? wanted : "default";
}

function pickInitialUser(): HostStaff {
  const wanted = new URLSearchParams(location.search).get("as") ?? localStorage.getItem(USER_KEY);
  return config.staff.find((s) => s.oid === wanted) ?? config.staff[0];
}

/** From `#subEntityId=...`, `?subEntityId=...`, or a pasted deep link's `?context={"subEntityId":...}`. */
function subPageId(): string | undefined {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const query = new URLSearchParams(location.search);
  const direct = hash.get("subEntityId") ?? query.get("subEntityId");
  if (direct) return direct;
  try {
    return JSON.parse(query.get("context") ?? "{}").subEntityId ?? undefined;
  } catch {
    return undefined;
  }
}

async function getAuthToken(claims: string[] | undefined): Promise<string> {
  const res = await fetch("/teams-host/sso-token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ oid: current.oid, mfa: mfaBox.checked, claims }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(body.error ?? `FailedToGetToken (HTTP ${res.status})`);
  return body.access_token;
}

/** A Teams deep link to our own tab becomes a subEntityId navigation; anything else opens in a new tab. */
function openDeepLink(link: string) {
  try {
    const url = new URL(link);
    const context = url.searchParams.get("context");
    if (url.hostname === "teams.microsoft.com" && url.pathname.startsWith("/l/entity/") && context) {
      const sub = JSON.parse(context).subEntityId;
      if (sub) {
        location.hash = `subEntityId=${encodeURIComponent(sub)}`;
        return;
      }
    }
  } catch {
    // fall through to opening it
  }
  window.open(link, "_blank", "noopener");
}
