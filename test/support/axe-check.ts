import type { Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

/**
 * The tab's (or a dialog's, given its iframe) axe-core violations of any impact, one line each. Fluent UI's focus manager
 * (Tabster) puts invisible sentinels (<i data-tabster-dummy>) around focus groups that hand focus
 * on at once; axe reads them as focusable but hidden, so they are left out.
 */
export async function axeViolations(page: Page, frame = "#kh-tab", impacts?: readonly string[]): Promise<string[]> {
  // The frame's own page is checked; the host's iframe element around it is not Keepsafe's.
  const axe = await new AxeBuilder({ page }).include(frame).exclude([frame, "[data-tabster-dummy]"]).analyze();
  return axe.violations
    .filter((v) => !impacts || impacts.includes(v.impact ?? ""))
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Only the serious and critical violations. */
export const seriousAxeViolations = (page: Page, frame = "#kh-tab") => axeViolations(page, frame, ["serious", "critical"]);
