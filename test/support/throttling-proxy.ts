import https from "node:https";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTPS forwarding proxy in front of a Cosmos endpoint that can answer 429 (with
 * x-ms-retry-after-ms, as Cosmos DB does) for the next N requests, to test throttling end to end.
 */
export interface ThrottlingProxy {
  endpoint: string;
  /** Answer 429 to the next `n` requests (Infinity: until reset), or only to those `match` picks. */
  throttleNext(n: number, retryAfterMs?: number, match?: (req: IncomingMessage) => boolean): void;
  /** How many 429s were served so far. */
  throttled(): number;
  stop(): Promise<void>;
}

export async function startThrottlingProxy(opts: { upstream: string; caPem: string; certPem: string; keyPem: string }): Promise<ThrottlingProxy> {
  const upstream = new URL(opts.upstream);
  const agent = new https.Agent({ ca: opts.caPem, keepAlive: true });
  let remaining = 0;
  let retryAfter = 5;
  let served = 0;
  let matches: (req: IncomingMessage) => boolean = () => true;
  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem }, (req, res) => {
    if (remaining > 0 && matches(req)) {
      remaining--;
      served++;
      req.resume();
      res.writeHead(429, { "content-type": "application/json", "x-ms-retry-after-ms": String(retryAfter), "x-ms-substatus": "3200" });
      res.end(JSON.stringify({ code: "TooManyRequests", message: "Request rate is large. More Request Units may be needed." }));
      return;
    }
    const forward = https.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on("error", () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    throttleNext: (n, ms = 5, match = () => true) => {
      remaining = n;
      retryAfter = ms;
      matches = match;
    },
    throttled: () => served,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
