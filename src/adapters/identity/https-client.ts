import { request } from "node:https";

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * One HTTPS request with node:https. `ca` is trusted for this request only, which is how the
 * local identity provider's CA is trusted without changing TLS settings for the whole process.
 */
export function httpsRequest(
  url: string,
  opts: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string; ca?: string; timeoutMs?: number } = {},
): Promise<HttpsResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:") return Promise.reject(new Error("only https URLs are allowed"));
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: opts.method ?? "GET",
        headers: {
          accept: "application/json",
          ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
        ...(opts.ca ? { ca: opts.ca } : {}),
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(new Error("response too large"));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          }
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export async function getJson(url: string, opts: { ca?: string; timeoutMs?: number } = {}): Promise<unknown> {
  const res = await httpsRequest(url, opts);
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${res.status}`);
  return JSON.parse(res.text) as unknown;
}
