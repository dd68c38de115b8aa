/** Headless Debian Chromium through playwright-core; traffic to anything but loopback is refused. */
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function newLoopbackPage(browser: Browser, viewport = { width: 1400, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
  });
  return context.newPage();
}
