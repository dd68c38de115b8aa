// Everything the tab needs from its Teams host: initialisation, context,
// the SSO token, and the MFA step-up popup.
import { app, authentication } from "@microsoft/teams-js";
import type { TokenSource } from "./api-client.js";
import type { BearerChallenge } from "./www-authenticate.js";
import { decodeClaims } from "./www-authenticate.js";

export const NOT_IN_TEAMS_MESSAGE = "Keepsafe must be opened inside Microsoft Teams (or the local Teams host)";
const INITIALIZE_TIMEOUT_MS = 5000;

export class NotInTeamsError extends Error {
  constructor(cause?: unknown) {
    super(NOT_IN_TEAMS_MESSAGE, { cause });
    this.name = "NotInTeamsError";
  }
}

/**
 * The origins teams-js should trust besides its own list of Microsoft hosts.
 * The local Teams host is served from this same server, so this page's origin
 * is the default. A `hostOrigin` query parameter may name another one, but
 * only on loopback: a link must not be able to make the tab trust any site.
 */
export function extraValidOrigins(location: Location): string[] {
  const origins = [location.origin];
  const requested = new URLSearchParams(location.search).get("hostOrigin");
  if (requested) {
    try {
      const url = new URL(requested);
      if (["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) origins.push(url.origin);
    } catch {
      // Not a URL: ignore it rather than trust something odd.
    }
  }
  return [...new Set(origins)];
}

export interface TeamsSession {
  context: app.Context;
  getToken: TokenSource;
  /** Opens the sign-in popup for a step-up challenge; later calls use the token it returns. */
  stepUp(challenge: BearerChallenge): Promise<void>;
}

export async function startTeamsSession(location: Location): Promise<TeamsSession> {
  try {
    await withTimeout(app.initialize(extraValidOrigins(location)), INITIALIZE_TIMEOUT_MS);
  } catch (error) {
    throw new NotInTeamsError(error);
  }
  const context = await app.getContext();
  // Hosts that show a loading indicator wait for this; others ignore it.
  app.notifySuccess().catch(() => undefined);

  let ssoToken: Promise<string> | undefined;
  let stepUpToken: string | undefined;

  const getToken: TokenSource = async (options) => {
    if (options?.refresh) {
      // Several calls can be refused with the same token at once; only the
      // first of them should throw the token away, the rest reuse its successor.
      if (stepUpToken !== undefined && stepUpToken === options.rejected) stepUpToken = undefined;
      const current = ssoToken;
      if (current && (await current.catch(() => undefined)) === options.rejected && ssoToken === current) {
        ssoToken = undefined;
      }
    }
    if (stepUpToken) return stepUpToken;
    ssoToken ??= authentication.getAuthToken().catch((error: unknown) => {
      ssoToken = undefined;
      throw error;
    });
    return ssoToken;
  };

  const stepUp = async (challenge: BearerChallenge) => {
    if (!challenge.authorizationUri) throw new Error("The sign-in challenge did not say where to sign in.");
    const url = new URL(challenge.authorizationUri);
    if (challenge.claims) url.searchParams.set("claims", decodeClaims(challenge.claims));
    if (context.user?.loginHint) url.searchParams.set("login_hint", context.user.loginHint);
    stepUpToken = await authentication.authenticate({ url: url.toString(), width: 600, height: 535 });
  };

  return { context, getToken, stepUp };
}

/** `incident:{id}` deep links (from activity feed notifications) open that incident. */
export function incidentIdFromSubPage(subPageId: string | undefined): string | undefined {
  const match = /^incident:(.+)$/.exec(subPageId ?? "");
  return match ? match[1] : undefined;
}

/** A deep link to a pupil's chronology (a referral overdue alert): `pupil:<id>`. */
export function pupilIdFromSubPage(subPageId: string | undefined): string | undefined {
  const match = /^pupil:(.+)$/.exec(subPageId ?? "");
  return match ? match[1] : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer from a Teams host within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
