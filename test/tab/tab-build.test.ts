// The tab builds quickly into one bundle and an index.html that loads nothing from the internet.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTab, contentSecurityPolicy } from "../../tab/build.js";

// teams-js carries the address of its valid-origins list; the tab's CSP stops it
// being fetched, but the string is in the bundle. Nothing else may point at a CDN.
const allowedCdnUrls = new Set(["https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json"]);
const cdnLike = /cdn|unpkg|jsdelivr|googleapis|gstatic|cloudflare|fonts\.|static\.|akamai|azureedge|msecnd/i;

describe("tab build", function () {
  this.timeout(60_000);
  let outDir: string;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), "keepsafe-tab-build-"));
    const started = Date.now();
    await buildTab({ outDir });
    // A slow build is a sign something huge slipped into the bundle.
    assert.ok(Date.now() - started < 30_000, "build took too long");
  });

  after(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("writes a minified bundle with a source map", async () => {
    const bundle = await stat(join(outDir, "app.js"));
    assert.ok(bundle.size > 50_000, "bundle looks empty");
    assert.ok(bundle.size < 2_000_000, "bundle is unexpectedly large");
    await stat(join(outDir, "app.js.map"));
    const text = await readFile(join(outDir, "app.js"), "utf8");
    assert.ok(text.includes("sourceMappingURL=app.js.map"));
    assert.ok(!text.includes("process.env.NODE_ENV"), "NODE_ENV should be defined away");
  });

  it("refers to no CDN other than the one teams-js itself carries", async () => {
    const text = await readFile(join(outDir, "app.js"), "utf8");
    const urls = new Set(text.match(/https?:\/\/[^\s"'`)\\]+/g) ?? []);
    const offenders = [...urls].filter((url) => cdnLike.test(url) && !allowedCdnUrls.has(url));
    assert.deepEqual(offenders, []);
  });

  it("writes an index.html with a root, the bundle and a strict CSP", async () => {
    const html = await readFile(join(outDir, "index.html"), "utf8");
    assert.match(html, /<div id="root"><\/div>/);
    assert.match(html, /<script src="app\.js" defer><\/script>/);
    assert.ok(html.includes(`content="${contentSecurityPolicy}"`));
    assert.match(contentSecurityPolicy, /script-src 'self'(;|$)/);
    // The API on the same server, and teams-js's list of valid host origins.
    assert.match(contentSecurityPolicy, /connect-src 'self' https:\/\/res\.cdn\.office\.net(;|$)/);
    assert.doesNotMatch(html, /(src|href)="https?:/, "index.html must load nothing from elsewhere");
  });
});
