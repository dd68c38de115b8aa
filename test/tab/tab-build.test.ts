// The tab builds quickly into an ES module, its chunks and an index.html that loads nothing from the internet.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTab, contentSecurityPolicy, type BuiltTab } from "../../tab/build.js";
import { tabSizes } from "../../tab/build-sizes.js";

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
    const texts = await Promise.all([...built.initial, ...built.lazy].map((f) => readFile(join(outDir, f), "utf8")));
    const text = texts.join("\n");
    const urls = new Set(text.match(/https?:\/\/[^\s"'`)\\]+/g) ?? []);
    const offenders = [...urls].filter((url) => cdnLike.test(url) && !allowedCdnUrls.has(url));
    assert.deepEqual(offenders, []);
  });

  it("writes an index.html with a root, the bundle and a strict CSP", async () => {
    const html = await readFile(join(outDir, "index.html"), "utf8");
    assert.match(html, /<div id="root"><\/div>/);
    assert.ok(html.includes(`<script type="module" src="${built.script}"></script>`));
    for (const chunk of built.initial.slice(1)) assert.ok(html.includes(`<link rel="modulepreload" href="${chunk}">`), chunk);
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

  it("keeps the reports' charts out of the tab's initial load, which is under 350 KB gzipped", async () => {
    // Which packages each file holds, from its source map (minified code names nothing reliably).
    const packagesIn = async (file: string) => {
      const { sources } = JSON.parse(await readFile(join(outDir, `${file}.map`), "utf8")) as { sources: string[] };
      return new Set(sources.map((s) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(s)?.[1]).filter(Boolean));
    };
    assert.equal(built.initial[0], built.script);
    for (const file of built.initial) {
      const packages = [...(await packagesIn(file))];
      assert.deepEqual(
        packages.filter((p) => p === "@fluentui/react-charts" || p!.startsWith("d3-")),
        [],
        `${file} must not carry the charts`,
      );
    }
    assert.equal(built.lazy.length, 1, `one chunk loaded on demand: ${built.lazy.join(", ")}`);
    assert.match(built.lazy[0], /^report-charts-[A-Z2-7]{8}\.js$/);
    assert.ok((await packagesIn(built.lazy[0])).has("@fluentui/react-charts"), "the charts' chunk holds the charts");
    const { initialGzipKB, lazyGzipKB } = await tabSizes(outDir, built);
    assert.ok(initialGzipKB < 350, `initial load ${initialGzipKB.toFixed(1)} KB gzipped`);
    assert.ok(lazyGzipKB > 20, `charts' chunk ${lazyGzipKB.toFixed(1)} KB gzipped looks empty`);
  });

  it("rebuilds when any chunk is missing, even one loaded only on demand", async () => {
    await rm(join(outDir, built.lazy[0]));
    const again = await buildTab({ outDir });
    assert.equal(again.skipped, false, "a missing lazy chunk must trigger a build");
    assert.deepEqual(again.lazy, built.lazy);
    await stat(join(outDir, built.lazy[0]));
  });
});
