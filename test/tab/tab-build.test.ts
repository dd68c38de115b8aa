// The tab builds quickly into one bundle and an index.html that loads nothing from the internet.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTab, contentSecurityPolicy, type BuiltTab } from "../../tab/build.js";

// teams-js carries the address of its valid-origins list; the tab's CSP stops it
// being fetched, but the string is in the bundle. Nothing else may point at a CDN.
const allowedCdnUrls = new Set(["https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json"]);
const cdnLike = /cdn|unpkg|jsdelivr|googleapis|gstatic|cloudflare|fonts\.|static\.|akamai|azureedge|msecnd/i;

describe("tab build", function () {
  this.timeout(60_000);
  let outDir: string;
  let built: BuiltTab;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), "keepsafe-tab-build-"));
    const started = Date.now();
    built = await buildTab({ outDir });
    // A slow build is a sign something huge slipped into the bundle.
    assert.ok(Date.now() - started < 30_000, "build took too long");
  });

  after(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("writes a minified bundle named by its content hash, with a source map", async () => {
    assert.equal(built.skipped, false);
    assert.match(built.script, /^app-[A-Z2-7]{8}\.js$/);
    const bundle = await stat(join(outDir, built.script));
    assert.ok(bundle.size > 50_000, "bundle looks empty");
    assert.ok(bundle.size < 2_000_000, "bundle is unexpectedly large");
    await stat(join(outDir, `${built.script}.map`));
    const text = await readFile(join(outDir, built.script), "utf8");
    assert.ok(text.includes(`sourceMappingURL=${built.script}.map`));
    assert.ok(!text.includes("process.env.NODE_ENV"), "NODE_ENV should be defined away");
  });

  it("refers to no CDN other than the one teams-js itself carries", async () => {
    const text = await readFile(join(outDir, built.script), "utf8");
    const urls = new Set(text.match(/https?:\/\/[^\s"'`)\\]+/g) ?? []);
    const offenders = [...urls].filter((url) => cdnLike.test(url) && !allowedCdnUrls.has(url));
    assert.deepEqual(offenders, []);
  });

  it("writes an index.html with a root, the bundle and a strict CSP", async () => {
    const html = await readFile(join(outDir, "index.html"), "utf8");
    assert.match(html, /<div id="root"><\/div>/);
    assert.ok(html.includes(`<script src="${built.script}" defer></script>`));
    assert.ok(html.includes(`content="${contentSecurityPolicy}"`));
    assert.match(contentSecurityPolicy, /script-src 'self'(;|$)/);
    // The API on the same server, and teams-js's list of valid host origins.
    assert.match(contentSecurityPolicy, /connect-src 'self' https:\/\/res\.cdn\.office\.net(;|$)/);
    assert.doesNotMatch(html, /(src|href)="https?:/, "index.html must load nothing from elsewhere");
  });

  it("skips esbuild when nothing the last build read has changed, and rebuilds when something has", async () => {
    const stampFile = join(outDir, ".tab-build.json");
    const stampBefore = await readFile(stampFile, "utf8");
    // A file touched but not changed (a checkout, a save without edits) is compared by content.
    // One of the tab's own sources (node_modules is shared with other checkouts; leave it alone).
    const firstInput = Object.keys(JSON.parse(stampBefore).inputs).find((f) => f.startsWith("tab/src/"))!;
    const now = new Date();
    await utimes(firstInput, now, now);
    const again = await buildTab({ outDir });
    assert.equal(again.skipped, true, "an unchanged tree must not be rebuilt");
    assert.equal(again.script, built.script);
    assert.ok((await readFile(join(outDir, "index.html"), "utf8")).includes(built.script));

    // The stamp says an input had other content: the next build must run esbuild.
    const stamp = JSON.parse(stampBefore);
    stamp.inputs[firstInput] = ["0".repeat(64), -1, -1];
    await writeFile(stampFile, JSON.stringify(stamp));
    const rebuilt = await buildTab({ outDir });
    assert.equal(rebuilt.skipped, false);
    assert.equal(rebuilt.script, built.script, "the same content gives the same name");
  });
});
