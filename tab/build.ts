// Builds the Keepsafe tab: a minified ES module (tab/dist/app-<content hash>.js), the chunks it
// loads (chunk-<content hash>.js, some only on demand) and its index.html.
// Run with `node --import tsx tab/build.ts`, or call buildTab() from tests and the server.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stop, type Plugin } from "esbuild";
import { BROWSER_BUNDLE, htmlPage } from "./build-kit.js";
import { cachedBuild } from "./build-cache.js";
import { policyText, TAB_PAGE_POLICY } from "../src/domain/content-security.js";

const tabDir = fileURLToPath(new URL(".", import.meta.url));
export const defaultOutDir = join(tabDir, "dist");

// The page's policy is shared with the server, which sends it as a header with frame-ancestors
// (a meta tag cannot set that). connect-src is the API (same server) and teams-js's origin list.
export const contentSecurityPolicy = policyText(TAB_PAGE_POLICY);

const indexHtml = (script: string, preload: string[]) =>
  htmlPage({
    module: true,
    preload,
    csp: contentSecurityPolicy,
    title: "Keepsafe",
    style: `*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; padding: 0; height: 100%; }
body { font-family: "Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif; -webkit-font-smoothing: antialiased; }
h1, h2, h3, p, dl, dd { margin: 0; }
[hidden] { display: none !important; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`,
    script,
    body: `<div id="root"></div>
`,
  });

export interface BuildTabOptions {
  /** Where to write app.js and index.html; tab/dist unless told. */
  outDir?: string;
  /** esbuild plugins, for a test that builds the tab with one module in place of another. */
  plugins?: Plugin[];
}

export interface BuiltTab {
  /** The bundle's file name beside index.html, content-hashed. */
  script: string;
  /** What the page loads before the tab runs: the bundle, then the chunks it imports statically. */
  initial: string[];
  /** The chunks fetched only when the code asks for them (the reports' charts). */
  lazy: string[];
  /** True when the sources had not changed since the last build, so esbuild did not run. */
  skipped: boolean;
}

export async function buildTab(options: BuildTabOptions = {}): Promise<BuiltTab> {
  const outDir = options.outDir ?? defaultOutDir;
  await mkdir(outDir, { recursive: true });
  const built = await cachedBuild(
    "tab",
    outDir,
    { app: join(tabDir, "src", "main.tsx") },
    {
      ...BROWSER_BUNDLE,
      // ES modules split into chunks, so code only one page needs (the reports' charts) is fetched
      // by that page's import() and not with the tab; script-src 'self' covers the chunks.
      format: "esm",
      splitting: true,
      jsx: "automatic",
      define: { "process.env.NODE_ENV": '"production"' },
      // A test's plugins (one module in place of another) build into their own directory, so their own stamp.
      ...(options.plugins ? { plugins: options.plugins } : {}),
    },
  );
  const initial = built.initial.app;
  await writeFile(join(outDir, "index.html"), indexHtml(built.scripts.app, initial.slice(1)));
  const lazy = built.outputs.filter((f) => f.endsWith(".js") && !initial.includes(f));
  return { script: built.scripts.app, initial, lazy, skipped: built.skipped };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const started = Date.now();
  const { skipped } = await buildTab();
  await stop();
  console.log(`${skipped ? "Unchanged:" : "Built"} the Keepsafe tab into ${defaultOutDir} in ${Date.now() - started} ms`);
}
