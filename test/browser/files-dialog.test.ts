// The "Attach files" dialog page in headless Chromium: served by the real /dialogs route, hosted by
// a stand-in Teams page that answers teams-js in a dialog (initialize, getAuthToken, completeTask),
// uploading through the real POST /api/files into real Azurite. It shows each file attached, the
// API's own message when one is refused, the written-by box for a DSL, and hands the list to Teams.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import restify from "restify";
import { BlobFileStore } from "../../src/adapters/blob/blob-file-store.js";
import { registerDialogPages } from "../../src/api/dialog-pages.js";
import { registerFileRoutes } from "../../src/api/file-routes.js";
import type { Actor } from "../../src/domain/actor.js";
import { UnauthenticatedError } from "../../src/domain/errors.js";
import { InMemoryDraftStore } from "../../src/domain/files.js";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";
import type { ValidatedClaims } from "../../src/ports/token-validator.js";
import { buildDialogs } from "../../tab/build-dialogs.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
import { dialogHostPage } from "../support/dialog-host.js";
import { fileUseCases } from "../support/file-use-cases.js";
import { EXE } from "../support/sample-files.js";

const SUBMISSION_ID = "5a0f3c1e-2b4d-4e6f-8a9b-0c1d2e3f4a5b";
const DSL: Actor = { staffId: "staff-dsl", schoolId: "school-1", name: "The DSL", role: "DSL", mfa: true };

describe("files dialog page in a browser", function () {
  this.timeout(120_000);
  let distDir: string;
  let azurite: LocalAzurite;
  let browser: Browser;
  let server: restify.Server;
  let origin: string;
  let drafts: InMemoryDraftStore;

  before(async () => {
    distDir = await mkdtemp(join(tmpdir(), "keepsafe-files-dialog-"));
    azurite = await startAzurite({ dataDir: join(distDir, "blob") });
    await buildDialogs({ outDir: join(distDir, "dialogs") });
    drafts = new InMemoryDraftStore();
    server = restify.createServer({ name: "keepsafe-files-dialog-test", handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024, rejectUnknown: false }));
    registerDialogPages(server, { distDir: join(distDir, "dialogs") });
    registerFileRoutes(server, {
      service: fileUseCases({
        files: new BlobFileStore({ connectionString: azurite.connectionString, containerName: "evidence-dialog" }),
        drafts,
        resolveActor: async (oid) => (oid === DSL.staffId ? DSL : Promise.reject(UnauthenticatedError())),
      }),
      tokens: {
        validate: async (token) => {
          if (token !== "token-dsl") throw UnauthenticatedError();
          return { oid: DSL.staffId, tid: "t", name: "", preferredUsername: "", scopes: [], amr: [], acrs: [] } satisfies ValidatedClaims;
        },
      },
      mfaPassed: () => true,
      mfaChallenge: () => 'Bearer realm=""',
    });
    server.get("/host.html", async (req: restify.Request, res: restify.Response) => {
      const scan = new URL(req.url ?? "/", "http://x").searchParams.get("scan") === "1";
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      const dialogUrl = `/dialogs/files.html?submissionId=${SUBMISSION_ID}${scan ? "&scan=1" : ""}`;
      res.end(dialogHostPage({ dialogUrl, title: "Attach files", width: 660, height: 540, token: "token-dsl" }));
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
    await azurite?.stop();
    await rm(distDir, { recursive: true, force: true });
  });

  it("uploads chosen files, shows the API's reason for a refused one, notes the writer, and submits the list", async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 700 } });
    // Nothing may leave this machine (teams-js would otherwise try Microsoft's CDN).
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/host.html?scan=1`);
      const dialog = page.frameLocator("#dialog");
      await dialog.getByTestId("written-by").fill("Mrs Patel (lunchtime supervisor)");
      await dialog.getByTestId("choose-files").setInputFiles([
        { name: "cause-for-concern.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") },
        {
          name: "setup.exe",
          mimeType: "application/pdf",
          buffer: EXE,
        },
      ]);
      const attached = dialog.getByTestId("attached-file");
      await attached.first().waitFor();
      assert.equal(await attached.count(), 1);
      assert.match(await attached.first().innerText(), /cause-for-concern\.pdf[\s\S]*written by Mrs Patel \(lunchtime supervisor\)/);
      const refused = dialog.getByTestId("file-error");
      await refused.waitFor();
      assert.match(await refused.innerText(), /setup\.exe[\s\S]*Keepsafe accepts PDF, PNG, JPEG/);

      const draft = await drafts.get({ staffId: DSL.staffId, schoolId: DSL.schoolId }, SUBMISSION_ID);
      assert.deepEqual(
        draft?.files.map((f) => [f.name, f.writtenBy]),
        [["cause-for-concern.pdf", "Mrs Patel (lunchtime supervisor)"]],
      );

      await dialog.getByTestId("files-done").click();
      await page.waitForFunction(() => (window as unknown as { __completed?: unknown }).__completed !== undefined);
      const completed = await page.evaluate(() => (window as unknown as { __completed: unknown }).__completed);
      assert.deepEqual(completed, {
        dialog: "files",
        submissionId: SUBMISSION_ID,
        files: [{ fileId: draft!.files[0].fileId, name: "cause-for-concern.pdf" }],
      });

      // Opened again (no written-by box this time), it lists what the form already holds.
      await page.goto(`${origin}/host.html`);
      await dialog.getByTestId("attached-file").first().waitFor();
      assert.equal(await dialog.getByTestId("written-by").isVisible(), false);
      assert.match(await dialog.getByTestId("attached-files").innerText(), /cause-for-concern\.pdf/);
    } finally {
      await context.close();
    }
  });
});
