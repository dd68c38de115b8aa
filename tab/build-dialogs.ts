// Builds Keepsafe's dialog pages (opened by the bot's task/fetch): tab/dist/dialogs/body-map.html, files.html
// and their scripts. Run with `node --import tsx tab/build-dialogs.ts`, or call buildDialogs().
// Each page is tab/dialogs/<page>.ts (its script), <page>.html (its body's markup) and <page>.css
// (its own styles, after dialog.css, which every dialog shares), put together into one page here.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stop } from "esbuild";
import { BROWSER_BUNDLE, htmlPage } from "./build-kit.js";
import { cachedBuild } from "./build-cache.js";
import { DIALOG_PAGE_POLICY, policyText } from "../src/domain/content-security.js";

const dialogsDir = fileURLToPath(new URL("./dialogs/", import.meta.url));
export const defaultDialogsOutDir = fileURLToPath(new URL("./dist/dialogs/", import.meta.url));

/** The pages and their titles. */
const DIALOG_TITLES = { "body-map": "Body map - Keepsafe", files: "Attach files - Keepsafe" } as const;
export const DIALOG_PAGES = Object.keys(DIALOG_TITLES) as (keyof typeof DIALOG_TITLES)[];

// Shared with the server, which adds frame-ancestors in its header.
const dialogCsp = policyText(DIALOG_PAGE_POLICY);

export async function buildDialogs(options: { outDir?: string } = {}): Promise<{ outDir: string; skipped: boolean }> {
  const outDir = options.outDir ?? defaultDialogsOutDir;
  await mkdir(outDir, { recursive: true });
  const entryPoints = Object.fromEntries(DIALOG_PAGES.map((page) => [page, join(dialogsDir, `${page}.ts`)]));
  const { scripts, skipped } = await cachedBuild("dialogs", outDir, entryPoints, BROWSER_BUNDLE);
  const source = (name: string) => readFile(join(dialogsDir, name), "utf8");
  const shared = await source("dialog.css");
  for (const page of DIALOG_PAGES) {
    const html = htmlPage({
      csp: dialogCsp,
      title: DIALOG_TITLES[page],
      style: shared + (await source(`${page}.css`)),
      script: scripts[page],
      body: await source(`${page}.html`),
    });
    await writeFile(join(outDir, `${page}.html`), html);
  }
  return { outDir, skipped };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const started = Date.now();
  const { outDir } = await buildDialogs();
  await stop();
  console.log(`Built Keepsafe's dialog pages into ${outDir} in ${Date.now() - started} ms`);
}
