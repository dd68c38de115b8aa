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

describe("tab files served compressed", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("gzips the bundle for a browser that accepts it and sends it plain otherwise", async () => {
    const plain = await get(`${keepsafe.url}/tab/app.js`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers["content-encoding"], undefined);
    const zipped = await get(`${keepsafe.url}/tab/app.js`, "gzip, deflate, br");
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.equal(zipped.headers.vary, "Accept-Encoding");
    assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} bytes gzipped of ${plain.body.length}`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    const refused = await get(`${keepsafe.url}/tab/app.js`, "gzip;q=0, identity");
    assert.equal(refused.headers["content-encoding"], undefined);
  });

  it("reads Accept-Encoding as browsers send it", () => {
    for (const yes of ["gzip", "GZIP", "deflate, gzip;q=0.5", "*", "br;q=1, gzip ; q=1.0"]) assert.ok(acceptsGzip(yes), yes);
    for (const no of [undefined, "", "br", "gzip;q=0", "gzip;q=0.0", "gzipx", "x-gzip2"]) assert.ok(!acceptsGzip(no), String(no));
  });
});
