import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { httpsRequest } from "./https-client.js";

/**
 * msal-node's HTTP client, over node:https with an extra CA trusted for msal's requests only.
 * msal refuses non-https authorities, so the local identity provider serves HTTPS with its own CA;
 * this lets msal trust that CA without NODE_EXTRA_CA_CERTS or any process-wide TLS change.
 */
export function createMsalNetworkClient(opts: { caPem?: string; timeoutMs?: number }): INetworkModule {
  async function send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number) {
    const res = await httpsRequest(url, {
      method,
      headers: options?.headers,
      body: options?.body,
      ca: opts.caPem,
      timeoutMs: timeout ?? opts.timeoutMs,
    });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      // msal reads error details from the body; give it an object it can report rather than a parse error.
      body = { error: "invalid_response", error_description: `Non-JSON response with status ${res.status}` };
    }
    return { headers: res.headers, body: body as T, status: res.status } satisfies NetworkResponse<T>;
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send("GET", url, options, timeout),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
