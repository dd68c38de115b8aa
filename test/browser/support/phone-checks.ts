/** What the phone-width browser tests measure in a page or frame. */
import type { Browser, Frame, FrameLocator, Page } from "playwright-core";
import { newLoopbackPage } from "../../support/browser.js";

export const PHONE = { width: 360, height: 740 } as const;

/** A loopback-only page at a phone's size (or the size given). */
export const newPhonePage = (browser: Browser, viewport: { width: number; height: number } = PHONE): Promise<Page> =>
  newLoopbackPage(browser, viewport);

/**
 * Problems with the frame's width, as sentences: the document scrolls sideways (naming the
 * elements that reach past its right edge, so a failure says where), or a badge's text spills
 * out of the badge. Empty when it fits.
 */
export async function overflowIn(frame: Frame, what: string): Promise<string[]> {
  return frame.evaluate((label) => {
    const problems: string[] = [];
    const root = document.scrollingElement!;
    const width = root.clientWidth;
    if (root.scrollWidth > width) {
      const culprits = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0)
        .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1))
        .slice(0, 5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : ""}.${[...el.classList].slice(0, 2).join(".")} (${Math.round(el.getBoundingClientRect().right)} px)`,
        );
      problems.push(`${label}: ${root.scrollWidth} px wide in ${width} px; past the edge: ${culprits.join(", ")}`);
    }
    for (const badge of document.querySelectorAll<HTMLElement>(".fui-Badge")) {
      if (badge.scrollWidth > badge.clientWidth + 1)
        problems.push(`${label}: badge "${badge.textContent}" spills out (${badge.scrollWidth} > ${badge.clientWidth} px)`);
    }
    return problems;
  }, what);
}

/** The tab's page background (the element around its header and main). */
export const pageBackground = (tab: Frame) =>
  tab.evaluate(() => {
    const page = document.querySelector("main")?.parentElement;
    return page ? getComputedStyle(page).backgroundColor : "";
  });

/** "#242424" as getComputedStyle writes it: "rgb(36, 36, 36)". */
export function rgbOf(hex: string): string {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/**
 * Where `testId` sits in the open dialog: a sentence if any of it is outside the dialog's frame
 * (so it would take scrolling to reach), else undefined.
 */
export async function outsideDialog(page: Page, dialog: FrameLocator, testId: string): Promise<string | undefined> {
  const frame = await page.locator(".kh-dialog-frame").boundingBox();
  const target = await dialog.getByTestId(testId).boundingBox();
  if (!frame || !target) return `${testId}: not shown`;
  const viewport = page.viewportSize()!;
  const bottom = Math.min(frame.y + frame.height, viewport.height);
  const right = Math.min(frame.x + frame.width, viewport.width);
  if (target.y < frame.y || target.y + target.height > bottom || target.x < frame.x || target.x + target.width > right) {
    return `${testId}: at ${Math.round(target.x)},${Math.round(target.y)} (${Math.round(target.width)}x${Math.round(target.height)}), outside the dialog's ${Math.round(right - frame.x)}x${Math.round(bottom - frame.y)} at ${Math.round(frame.x)},${Math.round(frame.y)}`;
  }
  return undefined;
}
