import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { startTestKeepsafe } from "../support/keepsafe-instance.js";
import { startPlayground } from "../../scripts/playground.js";

describe("zz explore playground", function () {
  this.timeout(180_000);
  it("dumps", async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kp-"));
    const keepsafe = await startTestKeepsafe();
    const playground = await startPlayground({ appEndpoint: `${keepsafe.url}/api/messages`, port: 0, workDir });
    const browser = await launchBrowser();
    try {
      const page = await newLoopbackPage(browser);
      await page.goto(`${playground.url}/`);
      await page.waitForTimeout(4000);
      const box = page.locator("[contenteditable=true]").first();
      await box.click();
      await page.keyboard.type("record a concern");
      await page.keyboard.press("Enter");
      await page.waitForTimeout(5000);
      const card = page.locator(".ac-adaptiveCard").last();
      const cb = card.getByRole("combobox", { name: /Categories/ });
      console.log("count", await cb.count());
      await cb.click();
      await page.waitForTimeout(1500);
      fs.writeFileSync("/tmp/page.html", await page.evaluate(() => document.body.outerHTML));
      await page.screenshot({ path: "/tmp/after-click.png" });
    } finally {
      await browser.close(); await playground.stop(); await keepsafe.cleanup();
    }
  });
});
