import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv, addFormats } from "../../appPackage/ajv-draft-04.js";
import { buildManifest, buildPackage, officialSchemaPath, packageVariables, validateManifest } from "../../appPackage/build-package.js";
import { decodePng } from "../../appPackage/png.js";
import { readZip } from "./read-zip.js";

const PROD_ENV = {
  KEEPSAFE_ENV: "dev",
  TEAMS_APP_ID: "0d8f5c7e-1111-4a2b-9c3d-4e5f6a7b8c9d",
  AAD_APP_CLIENT_ID: "a1b2c3d4-2222-4e5f-8a9b-0c1d2e3f4a5b",
  BOT_ID: "b2c3d4e5-3333-4f5a-9b0c-1d2e3f4a5b6c",
  TAB_ENDPOINT: "https://keepsafe.school.example",
  BOT_DOMAIN: "keepsafe-bot.school.example",
};

describe("Teams app package", () => {
  let outDir: string;
  before(() => {
    outDir = mkdtempSync(path.join(tmpdir(), "keepsafe-package-"));
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("builds a zip of manifest.json, color.png and outline.png whose manifest passes the official schema", async () => {
    const { zipPath } = await buildPackage({ env: PROD_ENV, outDir });
    const entries = readZip(readFileSync(zipPath));
    assert.deepEqual([...entries.keys()].sort(), ["color.png", "manifest.json", "outline.png"]);

    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8"));
    // Validate independently of the builder, with the schema for the version the manifest declares.
    assert.equal(manifest.manifestVersion, "1.22");
    assert.match(manifest.$schema, /teams\/v1\.22\/MicrosoftTeams\.schema\.json$/);
    const schema = JSON.parse(readFileSync(officialSchemaPath(manifest.manifestVersion), "utf8"));
    assert.equal(schema.$schema, "http://json-schema.org/draft-04/schema#");
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));

    assert.equal(manifest.id, PROD_ENV.TEAMS_APP_ID);
    assert.equal(manifest.bots[0].botId, PROD_ENV.BOT_ID);
    assert.deepEqual(manifest.bots[0].scopes, ["personal"]);
    assert.deepEqual(
      manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title),
      ["record a concern", "help"],
    );
    assert.equal(manifest.composeExtensions[0].botId, PROD_ENV.BOT_ID);
    assert.deepEqual(manifest.composeExtensions[0].commands[0], {
      id: "recordConcern",
      type: "action",
      title: "Record a concern about this",
      description: "Start a Keepsafe concern record from this message",
      context: ["message"],
      fetchTask: true,
    });
    assert.deepEqual(manifest.webApplicationInfo, {
      id: PROD_ENV.AAD_APP_CLIENT_ID,
      resource: `api://keepsafe.school.example/${PROD_ENV.AAD_APP_CLIENT_ID}`,
    });
    const tab = manifest.staticTabs.find((t: { entityId: string }) => t.entityId === "keepsafe");
    assert.equal(tab.contentUrl, "https://keepsafe.school.example/tab/index.html");
    assert.deepEqual(manifest.validDomains, ["keepsafe.school.example", "keepsafe-bot.school.example"]);
    assert.deepEqual(
      manifest.activities.activityTypes.map((a: { type: string; templateText: string }) => [a.type, a.templateText]),
      [
        ["concernRaised", "{actor} raised a concern: {category}"],
        ["urgentConcernRaised", "{actor} raised an urgent concern: {category}"],
        ["actionAdded", "{actor} added an action you are tagged in: {category}"],
        ["recordAssigned", "{actor} assigned a record to you: {category}"],
        ["recordReassigned", "{actor} re-assigned a record to you: {category}"],
        ["plannerReminder", "Your Keepsafe reminder is due: {category}"],
        ["concernRead", "{actor} has read the concern you recorded: {category}"],
        ["taskAssigned", "{actor} gave you an action to do: {category}"],
        ["taskOverdue", "Your Keepsafe action is overdue: {category}"],
        ["referralOverdue", "A referral is overdue: {category}"],
        ["subjectAccessDue", "A subject access request needs its pack: {category}"],
        ["earlyWarning", "Concerns are building up about a pupil: {category}"],
      ],
    );
    assert.equal(manifest.name.short, "Keepsafe", "no local suffix outside the local environment");
  });

  it("ships icons of the sizes Teams requires, the outline white on transparent", async () => {
    const { zipPath } = await buildPackage({ env: PROD_ENV, outDir });
    const entries = readZip(readFileSync(zipPath));
    const color = decodePng(entries.get("color.png")!);
    const outline = decodePng(entries.get("outline.png")!);
    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);

    // Full colour: opaque throughout and more than one colour.
    const colours = new Set<string>();
    for (let i = 0; i < color.data.length; i += 4) {
      assert.equal(color.data[i + 3], 255, "color.png is opaque");
      colours.add(`${color.data[i]},${color.data[i + 1]},${color.data[i + 2]}`);
    }
    assert.ok(colours.size > 2);

    // Outline: every visible pixel white, with both transparent and opaque areas.
    let opaque = 0;
    let clear = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const alpha = outline.data[i + 3];
      if (alpha > 0) assert.deepEqual([...outline.data.subarray(i, i + 3)], [255, 255, 255]);
      if (alpha === 255) opaque++;
      if (alpha === 0) clear++;
    }
    assert.ok(opaque > 100 && clear > 100, `opaque ${opaque}, clear ${clear}`);
  });

  it("builds locally with no settings, using the local ids, one valid domain and a (local) name", () => {
    const vars = packageVariables({}, path.join(outDir, "no-env")); // no env/.env.local there
    const manifest = buildManifest(vars);
    assert.deepEqual(validateManifest(manifest), []);
    assert.deepEqual(manifest.validDomains, ["localhost:3978"]);
    assert.equal((manifest.name as { short: string }).short, "Keepsafe (local)");
  });

  it("reads env/.env.{KEEPSAFE_ENV}, with process.env taking precedence", () => {
    const envDir = path.join(outDir, "env");
    mkdirSync(envDir, { recursive: true });
    writeFileSync(path.join(envDir, ".env.staging"), "TAB_ENDPOINT=https://staging.school.example\nBOT_ID=c3d4e5f6-4444-4a5b-8c6d-7e8f9a0b1c2d\n");
    const vars = packageVariables({ KEEPSAFE_ENV: "staging", BOT_ID: PROD_ENV.BOT_ID }, envDir);
    assert.equal(vars.TAB_DOMAIN, "staging.school.example");
    assert.equal(vars.BOT_ID, PROD_ENV.BOT_ID);
    assert.equal(vars.APP_NAME_SUFFIX, "");
  });

  it("refuses a manifest that breaks the schema, naming where", () => {
    const manifest = buildManifest({ ...packageVariables(PROD_ENV), BOT_ID: "not-a-guid" });
    const problems = validateManifest(manifest);
    assert.ok(
      problems.some((p) => p.startsWith("/bots/0/botId")),
      problems.join("\n"),
    );
  });

  it("names a missing template value instead of leaving it blank", () => {
    const vars = packageVariables(PROD_ENV);
    delete vars.BOT_ID;
    assert.throws(() => buildManifest(vars), /needs BOT_ID/);
  });
});
