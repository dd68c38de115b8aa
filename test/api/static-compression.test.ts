/** The tab's bundle over real HTTP: gzip for a browser that accepts it, plain for one that does not. */
import assert from "node:assert/strict";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { acceptsGzip } from "../../src/api/compressed-files.js";
import { startTestKeepsafe, type TestKeepsafe } from "../support/keepsafe-instance.js";

function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/** The bundle the tab's page loads, as the browser finds it. */
async function bundleUrl(base: string): Promise<string> {
  const page = await get(`${base}/tab/`);
  const script = /<script type="module" src="([^"]+)"/.exec(page.body.toString("utf8"))?.[1];
  assert.ok(script, "index.html names its bundle");
  return `${base}/tab/${script}`;
}

describe("tab files served compressed and cached", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("gzips the bundle for a browser that accepts it and sends it plain otherwise", async () => {
    const bundle = await bundleUrl(keepsafe.url);
    const plain = await get(bundle);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers["content-encoding"], undefined);
    const zipped = await get(bundle, "gzip, deflate, br");
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.equal(zipped.headers.vary, "Accept-Encoding");
    assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} bytes gzipped of ${plain.body.length}`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    const refused = await get(bundle, "gzip;q=0, identity");
    assert.equal(refused.headers["content-encoding"], undefined);
  });

  it("lets browsers keep content-hashed files for a year and makes them check the pages every time", async () => {
    const page = await get(`${keepsafe.url}/tab/`);
    assert.equal(page.headers["cache-control"], "no-cache");
    const bundle = await bundleUrl(keepsafe.url);
    assert.match(bundle, /\/tab\/app-[A-Z2-7]{8}\.js$/);
    const immutable = "public, max-age=31536000, immutable";
    assert.equal((await get(bundle)).headers["cache-control"], immutable);
    assert.equal((await get(`${bundle}.map`)).headers["cache-control"], immutable);
    const dialog = await get(`${keepsafe.url}/dialogs/body-map.html`);
    assert.equal(dialog.status, 200);
    assert.equal(dialog.headers["cache-control"], "no-cache");
    const dialogScript = /<script src="([^"]+)"/.exec(dialog.body.toString("utf8"))?.[1];
    assert.match(dialogScript ?? "", /^body-map-[A-Z2-7]{8}\.js$/);
    const script = await get(`${keepsafe.url}/dialogs/${dialogScript}`);
    assert.equal(script.status, 200);
    assert.equal(script.headers["cache-control"], immutable);
    // A name without a content hash is never cached for long, even if it looks like a bundle.
    assert.equal((await get(`${keepsafe.url}/tab/index.html`)).headers["cache-control"], "no-cache");
  });

  it("serves each of the tab's chunks as the bundle is served: JavaScript, gzipped, kept for a year", async () => {
    // The chunks as a browser finds them: preloaded by the page, and named by the code's imports.
    const page = (await get(`${keepsafe.url}/tab/`)).body.toString("utf8");
    const preloaded = [...page.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
    const code = await Promise.all([await bundleUrl(keepsafe.url), ...preloaded.map((c) => `${keepsafe.url}/tab/${c}`)].map((u) => get(u)));
    const imported = code.flatMap((c) => [...c.body.toString("utf8").matchAll(/"\.\/([a-z-]+-[A-Z2-7]{8}\.js)"/g)].map((m) => m[1]));
    const chunks = new Set([...preloaded, ...imported]);
    assert.ok(preloaded.length > 0, "the page preloads the chunk its bundle imports");
    assert.ok(
      [...chunks].some((c) => c.startsWith("report-charts-")),
      `the charts' chunk is named by the code: ${[...chunks].join(", ")}`,
    );
    for (const chunk of chunks) {
      const zipped = await get(`${keepsafe.url}/tab/${chunk}`, "gzip");
      assert.equal(zipped.status, 200, chunk);
      // A module script is refused unless it is served as JavaScript.
      assert.equal(zipped.headers["content-type"], "text/javascript; charset=utf-8", chunk);
      assert.equal(zipped.headers["content-encoding"], "gzip", chunk);
      assert.equal(zipped.headers["cache-control"], "public, max-age=31536000, immutable", chunk);
      assert.match(gunzipSync(zipped.body).toString("utf8"), /sourceMappingURL=/, chunk);
    }
  });

  it("reads Accept-Encoding as browsers send it", () => {
    for (const yes of ["gzip", "GZIP", "deflate, gzip;q=0.5", "*", "br;q=1, gzip ; q=1.0"]) assert.ok(acceptsGzip(yes), yes);
    for (const no of [undefined, "", "br", "gzip;q=0", "gzip;q=0.0", "gzipx", "x-gzip2"]) assert.ok(!acceptsGzip(no), String(no));
  });
});
