/**
 * Serves the dialog pages (built by tab/build-dialogs.ts) at /dialogs/*. The bot's task/fetch
 * points Teams here, so the URL must be on the app's valid domains (PUBLIC_URL). The pages run
 * inside Teams' frame: the header's policy is the page's own plus frame-ancestors naming Teams'
 * hosts (a meta tag cannot set that).
 */
import fs from "node:fs";
import path from "node:path";
import type { Request, Response, Server } from "restify";
import { cacheControlFor } from "./static-caching.js";
import { DIALOG_PAGE_POLICY, TEAMS_FRAME_ANCESTORS, withFrameAncestors } from "../domain/content-security.js";

export interface DialogPagesOptions {
  /** The built pages; tab/dist/dialogs in the app. */
  distDir: string;
  /** Who may frame the pages; Teams' hosts and this server's own origin unless told. */
  frameAncestors?: readonly string[];
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

export function registerDialogPages(server: Server, opts: DialogPagesOptions): void {
  const root = path.resolve(opts.distDir);
  const policy = withFrameAncestors(DIALOG_PAGE_POLICY, opts.frameAncestors ?? ["'self'", ...TEAMS_FRAME_ANCESTORS]);
  server.get("/dialogs/*", async (req: Request, res: Response) => {
    const notFound = () => res.send(404, { error: { code: "not_found", message: "Not found." } });
    let relative: string;
    try {
      relative = decodeURIComponent((req.path() ?? "").slice("/dialogs/".length));
    } catch {
      notFound();
      return;
    }
    const file = path.resolve(root, relative);
    const type = CONTENT_TYPES[path.extname(file)];
    if (!type || !file.startsWith(root + path.sep)) {
      notFound();
      return;
    }
    try {
      const body = await fs.promises.readFile(file);
      res.writeHead(200, {
        "Content-Type": type,
        "Cache-Control": cacheControlFor(path.basename(file)),
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
      });
      res.end(body);
    } catch {
      notFound();
    }
  });
}
