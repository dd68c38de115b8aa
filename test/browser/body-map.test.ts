// The body map dialog page in headless Chromium, served by the real /dialogs route and hosted by
// a stand-in Teams page (test/support/dialog-host.ts) that answers teams-js in a dialog and
// records what dialog.url.submit hands back, which Teams would send to the bot.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import restify from "restify";
import { buildDialogs } from "../../tab/build-dialogs.js";
import { registerDialogPages } from "../../src/api/dialog-pages.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
import { dialogHostPage } from "../support/dialog-host.js";

const SUBMISSION_ID = "0f5c7a52-7d7e-4f0e-9d55-3c2b1a0e9f11";

describe("body map dialog page in a browser", function () {
  this.timeout(90_000);
  let distDir: string;
  let browser: Browser;
  let server: restify.Server;
  let origin: string;

  before(async () => {
    distDir = await mkdtemp(join(tmpdir(), "keepsafe-dialogs-"));
    await buildDialogs({ outDir: distDir });
    server = restify.createServer({ name: "keepsafe-dialogs-test" });
    registerDialogPages(server, { distDir });
    server.get("/host.html", async (_req: restify.Request, res: restify.Response) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(dialogHostPage({ dialogUrl: `/dialogs/body-map.html?submissionId=${SUBMISSION_ID}`, title: "Body map", width: 820, height: 640 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (server) {
      const closing = new Promise<void>((r) => server.close(() => r()));
      server.server.closeAllConnections();
      await closing;
    }
    await rm(distDir, { recursive: true, force: true });
  });

  it("places two marks, describes them and submits them to Teams", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    // Nothing may leave this machine (teams-js would otherwise try Microsoft's CDN).
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    try {
      const page = await context.newPage();
      const served = await page.request.get(`${origin}/dialogs/body-map.html`);
      assert.match(served.headers()["content-security-policy"] ?? "", /frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
      await page.goto(`${origin}/host.html`);
      const dialog = page.frameLocator("#dialog");
      const map = dialog.getByTestId("body-map").locator("svg");
      await map.waitFor();

      // The drawing is 400 x 424 units shown at 400 px: front torso, then the back's upper back.
      await map.click({ position: { x: 100, y: 174 } });
      await map.click({ position: { x: 300, y: 124 } });
      const rows = dialog.getByTestId("mark-row");
      assert.equal(await rows.count(), 2);
      assert.match(await rows.nth(0).innerText(), /Mark 1 \(front\)/);
      assert.match(await rows.nth(1).innerText(), /Mark 2 \(back\)/);
      assert.equal(await dialog.locator("svg .mark").count(), 2);

      await dialog.locator("#mark-1-shape").fill("Bruise");
      await dialog.locator("#mark-1-colour").fill("Purple");
      await dialog.locator("#mark-1-size").fill("3 cm");
      await dialog.locator("#mark-1-note").fill("Left side of the chest, fingertip-shaped");
      await dialog.locator("#mark-2-shape").fill("Graze");
      await dialog.locator("#mark-2-colour").fill("Red");
      // The mark's description follows into the drawing (escaped), where it shows on hover.
      assert.match((await dialog.locator('svg .mark[data-mark="2"] title').textContent()) ?? "", /^2\. Back: Graze, Red$/);

      await dialog.getByTestId("save-body-map").click();
      await page.waitForFunction(() => (window as unknown as { __completed?: unknown }).__completed !== undefined);
      const result = (await page.evaluate(() => (window as unknown as { __completed: unknown }).__completed)) as {
        dialog: string;
        submissionId: string;
        marks: { side: string; x: number; y: number; shape?: string; colour?: string; size?: string; note?: string }[];
      };
      assert.equal(result.dialog, "body-map");
      assert.equal(result.submissionId, SUBMISSION_ID);
      assert.equal(result.marks.length, 2);
      const [front, back] = result.marks;
      assert.deepEqual(
        { side: front.side, shape: front.shape, colour: front.colour, size: front.size, note: front.note },
        { side: "front", shape: "Bruise", colour: "Purple", size: "3 cm", note: "Left side of the chest, fingertip-shaped" },
      );
      assert.ok(Math.abs(front.x - 0.5) < 0.02 && Math.abs(front.y - 0.375) < 0.02, `front at ${front.x},${front.y}`);
      assert.deepEqual(
        { side: back.side, shape: back.shape, colour: back.colour, size: back.size, note: back.note },
        { side: "back", shape: "Graze", colour: "Red", size: undefined, note: undefined },
      );
      assert.ok(Math.abs(back.x - 0.5) < 0.02 && Math.abs(back.y - 0.25) < 0.02, `back at ${back.x},${back.y}`);
    } finally {
      await context.close();
    }
  });
});
