// Builds Keepsafe's dialog pages (opened by the bot's task/fetch): tab/dist/dialogs/body-map.html, files.html
// and their scripts. Run with `node --import tsx tab/build-dialogs.ts`, or call buildDialogs().
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const dialogsDir = fileURLToPath(new URL("./dialogs/", import.meta.url));
export const defaultDialogsOutDir = fileURLToPath(new URL("./dist/dialogs/", import.meta.url));

/** The pages, each an HTML file with a script of the same name. */
export const DIALOG_PAGES = ["body-map", "files"] as const;

export async function buildDialogs(options: { outDir?: string } = {}): Promise<string> {
  const outDir = options.outDir ?? defaultDialogsOutDir;
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: DIALOG_PAGES.map((page) => join(dialogsDir, `${page}.ts`)),
    outdir: outDir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    legalComments: "linked",
    logLevel: "warning",
  });
  for (const page of DIALOG_PAGES) await copyFile(join(dialogsDir, `${page}.html`), join(outDir, `${page}.html`));
  return outDir;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const started = Date.now();
  const outDir = await buildDialogs();
  console.log(`Built Keepsafe's dialog pages into ${outDir} in ${Date.now() - started} ms`);
}
