// The tab's size as a browser downloads it: each file gzipped on its own (as the server sends it,
// src/api/compressed-files.ts), summed for the initial load, and the on-demand chunks apart.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BuiltTab } from "./build.js";

export interface TabSizes {
  /** The bundle and the chunks it imports statically: what the page waits for. */
  initialGzipKB: number;
  /** The chunks fetched on demand (the reports' charts), together. */
  lazyGzipKB: number;
}

async function gzipKB(outDir: string, files: string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (f) => gzipSync(await readFile(join(outDir, f)), { level: 9 }).length));
  return sizes.reduce((a, b) => a + b, 0) / 1024;
}

export async function tabSizes(outDir: string, built: BuiltTab): Promise<TabSizes> {
  const [initialGzipKB, lazyGzipKB] = await Promise.all([gzipKB(outDir, built.initial), gzipKB(outDir, built.lazy)]);
  return { initialGzipKB, lazyGzipKB };
}
