// Serves a built tab, the stand-in API and the stand-in Teams host page on 127.0.0.1, port 0.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { AddressInfo } from "node:net";
import { StandInApi } from "./stand-in-api.js";
import { hostPageHtml, type HostStubOptions } from "./teams-host-stub.js";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".txt": "text/plain",
};

export interface TabTestServer {
  origin: string;
  api: StandInApi;
  close(): Promise<void>;
}

export async function startTabTestServer(distDir: string, api: StandInApi, host: HostStubOptions): Promise<TabTestServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (api.handle(req, res)) return;
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/host.html") {
        const subPageId = url.searchParams.get("subPageId") ?? host.subPageId;
        res.writeHead(200, { "Content-Type": types[".html"] });
        res.end(hostPageHtml({ ...host, subPageId: subPageId ?? undefined }));
        return;
      }
      const file = normalize(join(distDir, url.pathname === "/" ? "index.html" : url.pathname));
      if (!file.startsWith(distDir)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
