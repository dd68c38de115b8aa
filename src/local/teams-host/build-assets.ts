/**
 * Bundles the host page's script (teams-js host, chat pane, the `adaptivecards` renderer) and its CSS
 * with esbuild, in memory. The routes build on first request; `npm start` may call this early to warm up.
 */

import { build } from "esbuild";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface TeamsHostAssets {
  /** File name (as served under /teams-host/) to contents. */
  files: Map<string, { contentType: string; body: Buffer }>;
}

const here = dirname(fileURLToPath(import.meta.url));
let cached: Promise<TeamsHostAssets> | undefined;

/** Builds once per process; pass outDir to also write the files (for a packaged build). */
export function buildTeamsHostAssets(options: { outDir?: string } = {}): Promise<TeamsHostAssets> {
  cached ??= bundle().catch((err) => {
    cached = undefined; // let a later request retry after the source is fixed
    throw err;
  });
  return options.outDir ? cached.then((assets) => writeOut(assets, options.outDir!)) : cached;
}

async function bundle(): Promise<TeamsHostAssets> {
  const result = await build({
    entryPoints: { host: join(here, "browser", "main.ts"), "host-style": join(here, "browser", "host.css") },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: "/teams-host",
    minify: false,
    sourcemap: false,
    logLevel: "silent",
    nodePaths: [join(here, "..", "..", "..", "node_modules")],
  });
  const files = new Map<string, { contentType: string; body: Buffer }>();
  for (const out of result.outputFiles) {
    const name = out.path.split("/").pop()!;
    const contentType = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    files.set(name, { contentType, body: Buffer.from(out.contents) });
  }
  return { files };
}

async function writeOut(assets: TeamsHostAssets, outDir: string) {
  await mkdir(outDir, { recursive: true });
  for (const [name, file] of assets.files) await writeFile(join(outDir, name), file.body);
  return assets;
}
