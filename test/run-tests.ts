/**
 * `npm test`: the whole suite. Makes sure Chromium is there for the browser tests, builds the tab
 * they load, runs every test under test/ with mocha, and ends with one plain summary line.
 */
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import Mocha from "mocha";
import { ensureChromium } from "./support/chromium.js";
import { stop as stopEsbuild } from "esbuild";
import { buildTab } from "../tab/build.js";
import { buildDialogs } from "../tab/build-dialogs.js";

const testDir = path.dirname(fileURLToPath(import.meta.url));

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) return d.name === "bench" ? [] : findTests(full);
      return d.name.endsWith(".test.ts") ? [full] : [];
    })
    .sort();
}

async function main() {
  process.env.LOG_LEVEL ??= "silent";
  const chromium = ensureChromium();
  if (!chromium.ok) {
    process.stderr.write(`${chromium.message}\n`);
    process.exit(1);
  }
  await Promise.all([buildTab(), buildDialogs()]);
  await stopEsbuild(); // its service process would otherwise hold about 400 MB through the whole run
  const grep = process.argv.slice(2).find((a) => !a.startsWith("-"));
  const mocha = new Mocha({ timeout: 60_000, reporter: "spec", grep });
  for (const file of findTests(testDir)) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const runner = mocha.run((failures) => {
    const s = runner.stats!;
    process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    process.exitCode = failures > 0 ? 1 : 0;
    // Servers and child processes are stopped by the tests; anything left must not hold CI open.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  });
}

main().catch((err) => {
  process.stderr.write(`The test run could not start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
