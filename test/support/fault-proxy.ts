/**
 * A real HTTPS proxy in front of the embedded Cosmos DB server that misbehaves on a share of
 * requests, as a busy or failing Cosmos DB account and network do: 429 with x-ms-retry-after-ms,
 * 503, a delay, a connection dropped before the request reaches the store, and a connection dropped
 * after the store has acted but before its answer arrives (the lost acknowledgement). Choices come
 * from a seeded generator, so a failing soak can be run again exactly.
 */
import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { seeded } from "../../src/local/demo-school.js";

export type FaultKind = "throttle429" | "unavailable503" | "delay" | "dropBefore" | "dropAfter";

export interface FaultProxy {
  endpoint: string;
  /** Share of requests (0 to 1) that get a fault; 0 turns faults off. */
  setShare(share: number): void;
  /** Faults given, requests forwarded, and documents the store returned (its x-ms-item-count). */
  counts(): Record<FaultKind | "forwarded" | "documents", number>;
  /**
   * Gives the next `times` requests that `matches` picks this fault, whatever the share: a test
   * aims a lost acknowledgement at one write instead of waiting for the seed to hit it.
   */
  aim(kind: FaultKind, matches: (req: { method: string; url: string; headers: http.IncomingHttpHeaders }) => boolean, times?: number): void;
  stop(): Promise<void>;
}

const KINDS: FaultKind[] = ["throttle429", "unavailable503", "delay", "dropBefore", "dropAfter"];

export async function startFaultProxy(opts: {
  upstream: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  seed: number;
  share: number;
}): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const agent = new https.Agent({ ca: opts.caPem, keepAlive: true });
  const random = seeded(opts.seed);
  let share = opts.share;
  const counts: Record<FaultKind | "forwarded" | "documents", number> = {
    throttle429: 0,
    unavailable503: 0,
    delay: 0,
    dropBefore: 0,
    dropAfter: 0,
    forwarded: 0,
    documents: 0,
  };

  const aimed: { kind: FaultKind; matches: Parameters<FaultProxy["aim"]>[1]; left: number }[] = [];
  const aimedAt = (req: http.IncomingMessage): FaultKind | undefined => {
    const hit = aimed.find((a) => a.left > 0 && a.matches({ method: req.method ?? "", url: req.url ?? "", headers: req.headers }));
    if (hit) hit.left--;
    return hit?.kind;
  };

  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem }, (req, res) => {
    const kind = aimedAt(req) ?? (random() < share ? KINDS[Math.floor(random() * KINDS.length)] : undefined);
    if (kind) counts[kind]++;
    if (kind === "throttle429" || kind === "unavailable503") {
      req.resume();
      const status = kind === "throttle429" ? 429 : 503;
      res.writeHead(status, { "content-type": "application/json", "x-ms-retry-after-ms": "20", "x-ms-substatus": status === 429 ? "3200" : "0" });
      res.end(JSON.stringify({ code: status === 429 ? "TooManyRequests" : "ServiceUnavailable", message: "Injected by the soak." }));
      return;
    }
    if (kind === "dropBefore") {
      req.resume();
      req.socket.destroy();
      return;
    }
    counts.forwarded++;
    const forward = () => {
      const upstreamReq = https.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
        (up) => {
          if (kind === "dropAfter") {
            // The store has done the work; its answer never arrives.
            up.resume();
            up.on("end", () => req.socket.destroy());
            return;
          }
          counts.documents += Number(up.headers["x-ms-item-count"] ?? 0) || 0;
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstreamReq.on("error", () => req.socket.destroy());
      req.pipe(upstreamReq);
    };
    if (kind === "delay") setTimeout(forward, 50 + Math.floor(random() * 400));
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    setShare: (s) => (share = s),
    aim: (kind, matches, times = 1) => void aimed.push({ kind, matches, left: times }),
    counts: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
