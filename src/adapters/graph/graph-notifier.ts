/**
 * The Notifier port over Microsoft Graph: a Teams activity-feed notification to one user and an
 * email from the alerts mailbox. Failures are sorted into "retry later" (TransientNotifyError, which
 * the outbox dispatcher reschedules) and "Graph refused this request" (GraphRequestRejectedError).
 */
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { childLogger } from "../../logger.js";
import { TransientNotifyError, type ActivityNotification, type AlertEmail, type Notifier } from "../../ports/notifier.js";
import { chainIdOf } from "./chain-id.js";
import { keepsafeMiddlewareChain } from "./graph-middleware.js";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
/** Graph accepts custom x- headers on a message; the alert id lets a receiver spot a resend. */
export const ALERT_ID_HEADER = "X-Keepsafe-Alert-Id";

export interface GraphNotifierOptions {
  /** An app-only token for Graph (TeamsActivity.Send, Mail.Send); called for every request. */
  getToken: () => Promise<string>;
  /** GRAPH_BASE_URL, including the version segment. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Graph answered with a 4xx that retrying will not fix (bad request, missing permission, unknown user). */
export class GraphRequestRejectedError extends Error {
  constructor(
    readonly operation: string,
    readonly statusCode: number,
    readonly graphCode: string | null,
  ) {
    // Graph's own message can echo addresses or ids; keep only the status and code.
    super(`Graph refused ${operation}: ${statusCode} ${graphCode ?? "unknown"}`);
    this.name = "GraphRequestRejectedError";
  }
}

const log = childLogger("graph-notifier");

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function toNotifyError(operation: string, e: unknown): Error {
  const status = e instanceof GraphError ? e.statusCode : undefined;
  // The SDK reports network failures, timeouts and token failures as a GraphError with status -1.
  if (status === undefined || status <= 0) {
    return new TransientNotifyError(`Graph ${operation} unreachable`);
  }
  const retryAfter = parseRetryAfter((e as GraphError).headers?.get("retry-after"));
  if (status === 429) return new TransientNotifyError(`Graph ${operation} throttled (429)`, retryAfter);
  if (status >= 500 || status === 408) return new TransientNotifyError(`Graph ${operation} failed (${status})`, retryAfter);
  return new GraphRequestRejectedError(operation, status, (e as GraphError).code);
}

/** Splits ".../v1.0" into the SDK's host and version, which it joins again for each request. */
function splitBaseUrl(baseUrl: string): { host: string; version: string } {
  const url = new URL(baseUrl.replace(/\/+$/, ""));
  const segments = url.pathname.split("/").filter(Boolean);
  const version = segments.pop();
  if (!version) throw new Error("GRAPH_BASE_URL must end with the API version, e.g. https://graph.microsoft.com/v1.0");
  return { host: `${url.origin}/${segments.map((s) => `${s}/`).join("")}`, version };
}

export class GraphNotifier implements Notifier {
  private readonly client: Client;

  constructor(opts: GraphNotifierOptions) {
    const baseUrl = (opts.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, "");
    const { host, version } = splitBaseUrl(baseUrl);
    this.client = Client.initWithMiddleware({
      baseUrl: host,
      defaultVersion: version,
      middleware: keepsafeMiddlewareChain(baseUrl, opts.getToken, opts.timeoutMs ?? 15_000),
    });
  }

  async sendActivityNotification(n: ActivityNotification): Promise<void> {
    const body = {
      topic: { source: "text", value: "Keepsafe", webUrl: n.webUrl },
      activityType: n.activityType,
      previewText: { content: n.previewText },
      templateParameters: n.templateParameters,
      chainId: chainIdOf(n.idempotencyKey),
    };
    await this.post("sendActivityNotification", `/users/${encodeURIComponent(n.recipientStaffId)}/teamwork/sendActivityNotification`, body);
  }

  async sendMail(m: AlertEmail): Promise<void> {
    const body = {
      message: {
        subject: m.subject,
        body: { contentType: "HTML", content: m.bodyHtml },
        toRecipients: [{ emailAddress: { address: m.toAddress } }],
        internetMessageHeaders: [{ name: ALERT_ID_HEADER, value: m.idempotencyKey }],
      },
      // The alerts mailbox is a sender only; keeping copies would make it a second record store.
      saveToSentItems: false,
    };
    await this.post("sendMail", `/users/${encodeURIComponent(m.fromMailbox)}/sendMail`, body);
  }

  private async post(operation: string, path: string, body: unknown): Promise<void> {
    try {
      await this.client.api(path).post(body);
    } catch (e) {
      const mapped = toNotifyError(operation, e);
      log.warn(
        { operation, status: e instanceof GraphError ? e.statusCode : undefined, transient: mapped instanceof TransientNotifyError },
        "graph request failed",
      );
      throw mapped;
    }
  }
}
