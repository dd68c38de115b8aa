import type { Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

/**
 * The tab's (or a dialog's, given its iframe) serious and critical axe-core violations, one line each. Fluent UI's focus manager
 * (Tabster) puts invisible sentinels (<i data-tabster-dummy>) around focus groups that hand focus
 * on at once; axe reads them as focusable but hidden, so they are left out.
 */
export async function seriousAxeViolations(page: Page, frame = "#kh-tab"): Promise<string[]> {
  // The frame's own page is checked; the host's iframe element around it is not Keepsafe's.
  const axe = await new AxeBuilder({ page }).include(frame).exclude([frame, "[data-tabster-dummy]"]).analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
