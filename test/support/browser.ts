/** Headless Debian Chromium through playwright-core; traffic to anything but loopback is refused. */
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
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

/** The local Teams host signed in as one member of staff, and the tab inside it. */
export async function openTabAs(browser: Browser, hostUrl: string, staffOid: string): Promise<{ page: Page; tab: FrameLocator }> {
  const page = await newLoopbackPage(browser);
  return { page, tab: await signInToHost(page, hostUrl, staffOid) };
}

/** Signs in to the local Teams host (with the second factor passed when `mfa`), giving the tab's frame. */
export async function signInToHost(page: Page, hostUrl: string, staffOid: string, opts: { mfa?: boolean } = {}): Promise<FrameLocator> {
  await page.goto(`${hostUrl}/`);
  if (opts.mfa) await page.check("#kh-mfa");
  await page.selectOption("#kh-user", staffOid);
  return page.frameLocator("#kh-tab");
}

/** In the local Teams host: signs in as a member of staff and opens a pupil's chronology in the tab. */
export async function openChronologyInHost(page: Page, keepsafeUrl: string, staffOid: string, pupilName: string) {
  const tab = await signInToHost(page, keepsafeUrl, staffOid);
  await openChronology(tab, pupilName);
  return tab;
}

/** Finds a pupil by name in the tab and opens their chronology (the name must be the pupil's own). */
export async function openChronology(tab: FrameLocator, pupilName: string): Promise<void> {
  await tab.getByTestId("pupil-search").fill(pupilName);
  await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
}
