/** Headless Debian Chromium through playwright-core; traffic to anything but loopback is refused. */
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function newLoopbackPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
  });
  return context.newPage();
}

/** In the local Teams host: signs in as a member of staff and opens a pupil's chronology in the tab. */
export async function openChronologyInHost(page: Page, keepsafeUrl: string, staffOid: string, pupilName: string) {
  await page.goto(`${keepsafeUrl}/`);
  await page.selectOption("#kh-user", staffOid);
  const tab = page.frameLocator("#kh-tab");
  await tab.getByTestId("pupil-search").fill(pupilName);
  await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
  return tab;
}
