// What every dialog page shares: its status line and its start inside Teams. A page shows nothing
// of its own until teams-js has started in a Teams dialog and the page is tied to a form.
import { app } from "@microsoft/teams-js";
import { extraValidOrigins } from "../src/teams-session.js";

const INITIALIZE_TIMEOUT_MS = 5000;
const SUBMISSION_ID = /^[A-Za-z0-9_-]{8,100}$/;

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function say(message: string, kind: "info" | "error" = "info") {
  const status = $("status");
  status.textContent = message;
  status.dataset.kind = kind;
}

/**
 * Starts teams-js and returns the form's submissionId from the page's query. Outside Teams, or
 * with no valid form id, it shows the matching message as an error and returns undefined.
 */
export async function startDialogPage(messages: { outsideTeams: string; noForm: string }): Promise<string | undefined> {
  const submissionId = new URLSearchParams(location.search).get("submissionId") ?? "";
  try {
    await withTimeout(app.initialize(extraValidOrigins(location)), INITIALIZE_TIMEOUT_MS);
    app.notifySuccess().catch(() => undefined);
    followTeamsTheme();
  } catch {
    say(messages.outsideTeams, "error");
    return undefined;
  }
  if (!SUBMISSION_ID.test(submissionId)) {
    say(messages.noForm, "error");
    return undefined;
  }
  return submissionId;
}

/**
 * Dialogs wear the Teams theme too (dialog.css keys its colours on data-theme). Not awaited: a
 * host that never answers getContext leaves the page in the default theme rather than blank.
 */
function followTeamsTheme() {
  const show = (theme: string | undefined) => {
    document.documentElement.dataset.theme = theme === "dark" || theme === "contrast" ? theme : "default";
  };
  app.getContext().then(
    (context) => show(context.app.theme),
    () => undefined,
  );
  app.registerOnThemeChangeHandler(show);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer from a Teams host within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
