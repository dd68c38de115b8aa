/**
 * Finds Debian's Chromium for the browser tests. When it is missing and we are root on Debian,
 * installs the `chromium` package; otherwise stops with one line saying what to run.
 * It never downloads a browser build of its own.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

export function ensureChromium(): { ok: true } | { ok: false; message: string } {
  if (fs.existsSync(CHROMIUM_PATH)) return { ok: true };
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (isRoot && hasApt && fs.existsSync("/etc/debian_version")) {
    process.stderr.write("Chromium not found: installing Debian's chromium package for the browser tests...\n");
    try {
      execFileSync("apt-get", ["update"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch {
      /* reported below */
    }
    if (fs.existsSync(CHROMIUM_PATH)) return { ok: true };
  }
  return {
    ok: false,
    message: `The browser tests need Chromium at ${CHROMIUM_PATH}: install it with "sudo apt-get install chromium" (or set CHROMIUM_PATH).`,
  };
}
