/**
 * The host side of @microsoft/teams-js 2.x, enough for Keepsafe's tab.
 *
 * Protocol (read from the SDK's internal/communication.js and messageObjects.js):
 * - the app posts `{id, uuidAsString, func, args, apiVersionTag, ...}` to its parent (or opener);
 * - the host answers with `{id, uuidAsString, args}`; the SDK matches the callback by uuid, else by id;
 * - the host may push `{func, args}` (no id) to call a handler the app registered, e.g. messageForParent.
 * The SDK accepts our messages because the tab is served from the host's own origin, or because it
 * passes the host origin to `app.initialize([origin])`.
 */

import type { HostStaff } from "../host-config.js";

/** FrameContexts from the SDK: what kind of surface each window is. */
export type FrameKind = "content" | "task" | "authentication";

/** The themes a Teams client reports in app.getContext().app.theme and its themeChange event. */
export const TEAMS_THEMES = ["default", "dark", "contrast"] as const;
export type TeamsTheme = (typeof TEAMS_THEMES)[number];
export const isTeamsTheme = (value: unknown): value is TeamsTheme => TEAMS_THEMES.some((t) => t === value);

export interface DialogRequest {
  url?: string;
  card?: unknown;
  title?: string;
  height?: number | string;
  width?: number | string;
  completionBotId?: string;
}

export interface TeamsJsHostDeps {
  tenantId: string;
  entityId: string;
  currentUser(): HostStaff;
  subPageId(): string | undefined;
  /** Resolves with an access token or rejects with a Teams-style reason such as "resourceRequiresMfa". */
  getAuthToken(claims: string[] | undefined): Promise<string>;
  /** Opens a URL dialog; resolves with the value the dialog passed to dialog.url.submit, or rejects on close. */
  openDialog(request: DialogRequest, registerFrame: (win: Window) => void): Promise<unknown>;
  closeDialog(result: unknown): void;
  openDeepLink(url: string): void;
}

/** Answered with nothing: the SDK fires these and does not wait. */
const ONE_WAY = new Set([
  "appInitialization.appLoaded",
  "appInitialization.success",
  "appInitialization.failure",
  "appInitialization.expectedFailure",
  "registerHandler",
  "tasks.updateTask",
  "setModalState",
]);

/** ErrorCode.NOT_SUPPORTED_ON_PLATFORM in the SDK. */
const NOT_SUPPORTED = 100;

/** What a Teams web client advertises, trimmed to what this host really answers. */
export const RUNTIME_CONFIG = {
  apiVersion: 4,
  isLegacyTeams: false,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: {
    appEntity: {},
    dialog: { url: { bot: {}, parentCommunication: {} }, update: {} },
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {} },
    teamsCore: {},
  },
};

interface Incoming {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

interface PendingAuth {
  popup: Window;
  answer: (args: unknown[]) => void;
  watch: number;
}

export class TeamsJsHost {
  private readonly frames = new Map<Window, FrameKind>();
  private pendingAuth: PendingAuth | undefined;
  private contentWindow: Window | undefined;
  private dialogWindow: Window | undefined;
  private theme: TeamsTheme = "default";

  constructor(private readonly deps: TeamsJsHostDeps) {
    window.addEventListener("message", (ev) => this.onMessage(ev));
  }

  /** A dialog's iframe, whether the tab or the bot opened it, speaks teams-js with frameContext "task". */
  registerDialogFrame(win: Window) {
    if (this.dialogWindow) this.frames.delete(this.dialogWindow);
    this.dialogWindow = win;
    this.frames.set(win, "task");
  }

  /** The tab iframe's WindowProxy survives navigations, so register it once. */
  registerContentFrame(win: Window) {
    this.contentWindow = win;
    this.frames.set(win, "content");
  }

  /**
   * As a Teams client does when the user picks another theme: later contexts report it, and the
   * tab and any open dialog get the themeChange event (their teams-js calls the registered handler).
   */
  setTheme(theme: TeamsTheme) {
    this.theme = theme;
    for (const win of [this.contentWindow, this.dialogWindow]) if (win) this.push(win, "themeChange", [theme]);
  }

  get currentTheme(): TeamsTheme {
    return this.theme;
  }

  private onMessage(ev: MessageEvent) {
    const source = ev.source as Window | null;
    const kind = source ? this.frames.get(source) : undefined;
    const msg = ev.data as Incoming;
    // Only windows this page created may talk to it; anything else is ignored, as Teams does.
    if (!source || !kind || !msg || typeof msg !== "object" || typeof msg.func !== "string") return;
    const answer = (args: unknown[]) =>
      source.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, ev.origin === "null" ? "*" : ev.origin);
    this.dispatch(kind, source, msg, answer);
  }

  private dispatch(kind: FrameKind, source: Window, msg: Incoming, answer: (args: unknown[]) => void) {
    const args = msg.args ?? [];
    switch (msg.func) {
      case "initialize":
        return answer([kind, "web", JSON.stringify(RUNTIME_CONFIG), "2.58.0"]);
      case "getContext":
        return answer([this.legacyContext(kind)]);
      case "authentication.getAuthToken":
        return void this.deps
          .getAuthToken(args[1] as string[] | undefined)
          .then((token) => answer([true, token]))
          .catch((err: Error) => answer([false, err.message]));
      case "authentication.authenticate":
        return this.authenticate(String(args[0]), Number(args[1]) || 600, Number(args[2]) || 535, answer);
      case "authentication.authenticate.success":
      case "authentication.authenticate.failure":
        return this.finishAuth(kind, source, msg.func.endsWith("success"), args[0]);
      case "tasks.startTask":
        return this.startTask(args[0] as DialogRequest, answer);
      case "tasks.completeTask":
        if (kind === "task") this.deps.closeDialog(args[0]);
        return;
      case "messageForParent":
        if (kind === "task" && this.contentWindow) this.push(this.contentWindow, "messageForParent", args);
        return;
      case "messageForChild":
        if (kind === "content" && this.dialogWindow) this.push(this.dialogWindow, "messageForChild", args);
        return;
      case "executeDeepLink":
        this.deps.openDeepLink(String(args[0]));
        return answer([true]);
      default:
        if (ONE_WAY.has(msg.func)) return;
        // Never leave the app waiting: an SDK error object makes most wrappers reject at once.
        return answer([{ errorCode: NOT_SUPPORTED, message: `${msg.func} is not supported by the local Teams host` }]);
    }
  }

  /** The v1 Context shape; the SDK maps it to app.Context (user.id <- userObjectId, page.id <- entityId...). */
  private legacyContext(kind: FrameKind) {
    const user = this.deps.currentUser();
    return {
      entityId: this.deps.entityId,
      subEntityId: this.deps.subPageId(),
      frameContext: kind,
      userObjectId: user.oid,
      userDisplayName: user.displayName,
      userPrincipalName: user.email,
      loginHint: user.email,
      tid: this.deps.tenantId,
      locale: "en-GB",
      theme: this.theme,
      hostName: "Teams",
      hostClientType: "web",
      isFullScreen: false,
      isMultiWindow: false,
      appSessionId: sessionId,
      sessionId,
    };
  }

  private push(target: Window, func: string, args: unknown[]) {
    target.postMessage({ func, args }, "*");
  }

  private authenticate(url: string, width: number, height: number, answer: (args: unknown[]) => void) {
    this.pendingAuth?.answer([false, "CancelledByUser"]);
    const popup = window.open(url, "keepsafe-auth", `width=${width},height=${height}`);
    if (!popup) return answer([false, "FailedToOpenWindow"]);
    this.frames.set(popup, "authentication");
    // A closed popup that never reported back is a cancellation, as in Teams.
    const watch = window.setInterval(() => {
      if (popup.closed) this.settleAuth([false, "CancelledByUser"]);
    }, 500);
    this.pendingAuth = { popup, answer, watch };
  }

  private finishAuth(kind: FrameKind, source: Window, ok: boolean, result: unknown) {
    if (kind !== "authentication" || this.pendingAuth?.popup !== source) return;
    this.settleAuth([ok, result]);
  }

  private settleAuth(args: unknown[]) {
    const pending = this.pendingAuth;
    if (!pending) return;
    this.pendingAuth = undefined;
    window.clearInterval(pending.watch);
    this.frames.delete(pending.popup);
    if (!pending.popup.closed) pending.popup.close();
    pending.answer(args);
  }

  private startTask(request: DialogRequest, answer: (args: unknown[]) => void) {
    this.deps
      .openDialog(request ?? {}, (win) => this.registerDialogFrame(win))
      .then((result) => answer([null, result]))
      .catch((err: Error) => answer([err.message, undefined]))
      .finally(() => {
        if (this.dialogWindow) this.frames.delete(this.dialogWindow);
        this.dialogWindow = undefined;
      });
  }
}

const sessionId = crypto.randomUUID();
