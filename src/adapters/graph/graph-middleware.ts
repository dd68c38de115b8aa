/**
 * The Graph client's middleware chain for Keepsafe. It replaces the SDK's default chain because:
 * - the SDK only attaches the token to https://graph.microsoft.com or https custom hosts, so it
 *   would send nothing to the local http sandbox; ours attaches it to the configured base URL only;
 * - the SDK's RetryHandler sleeps through 429/503 for up to 3 minutes inside one call. The outbox
 *   already retries durably with backoff, so an in-process retry would only hide throttling and hold
 *   the dispatcher; we surface every 429/5xx at once instead.
 */
import { HTTPMessageHandler, type Context, type Middleware } from "@microsoft/microsoft-graph-client";

const urlOf = (request: RequestInfo): string => (typeof request === "string" ? request : request.url);

export class BearerTokenHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly baseUrl: string,
    private readonly getToken: () => Promise<string>,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    context.options ??= {};
    // A hung connection must not hold the dispatcher; a timeout is a transient failure like any other.
    context.options.signal ??= AbortSignal.timeout(this.timeoutMs);
    if (urlOf(context.request).startsWith(`${this.baseUrl}/`)) {
      const token = await this.getToken();
      const headers = new Headers(context.options.headers as HeadersInit | undefined);
      headers.set("Authorization", `Bearer ${token}`);
      context.options.headers = Object.fromEntries(headers.entries());
    }
    if (!this.next) throw new Error("BearerTokenHandler needs a next middleware");
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function keepsafeMiddlewareChain(baseUrl: string, getToken: () => Promise<string>, timeoutMs: number): Middleware[] {
  return [new BearerTokenHandler(baseUrl, getToken, timeoutMs), new HTTPMessageHandler()];
}
