/**
 * What a newcomer sees: `npm start` (its exact node flags, as a child process) prints human log
 * lines, no deprecation warning and no warning or error line through a clean run that signs in,
 * records a concern and sends its alerts through the local Graph sandbox; and the favicon is served.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnKeepsafe, type KeepsafeProcess } from "../support/keepsafe-process.js";
import { staffByRole, waitFor } from "../support/keepsafe-instance.js";
import { ssoTokenFor, submitConcern } from "../support/plain-bot-calls.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv } from "../../src/local/demo-school.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
// pino-pretty's line: [HH:MM:ss.l] LEVEL: component: message {fields}
const HUMAN_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL)( \([^)]*\))?: \S/;
// eslint-disable-next-line no-control-regex
const stripColours = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("clean npm start", function () {
  this.timeout(120_000);
  let dataDir: string;
  let keepsafe: KeepsafeProcess | undefined;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-clean-start-"));
  });
  after(async () => {
    await keepsafe?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints only human info lines, no deprecation warning and no warning or error, through sign-in, a concern and its alerts", async () => {
    keepsafe = await spawnKeepsafe({ PORT: "0", KEEPSAFE_DATA_DIR: dataDir, LOG_LEVEL: "info", LOG_FORMAT: "", OUTBOX_INTERVAL_MS: "200" });
    const firstUpn = demoSchoolCsv().pupilsCsv.split(/\r?\n/)[1].split(",")[0];
    const pupilId = pupilIdFor(DEMO_SCHOOL_ID, firstUpn);

    const token = await ssoTokenFor(keepsafe.url, dsl);
    assert.ok(token.split(".").length === 3, "the host's sign-in gives a JWT");
    const submitted = await submitConcern(
      keepsafe.url,
      { from: teacher, alert: dsl },
      crypto.randomUUID(),
      pupilId,
      "Said she had no breakfast again.",
    );
    assert.equal(submitted.status, 200);
    // The incident's two alerts (activity feed and mail) reach the local Graph sandbox.
    await waitFor(() => ((keepsafe!.output().match(/graph request recorded/g) ?? []).length >= 2 ? true : undefined), "two Graph requests", 20_000);
    const favicon = await fetch(`${keepsafe.url}/favicon.ico`);
    assert.equal(favicon.status, 200);
    await keepsafe.stop();

    const lines = stripColours(keepsafe.output())
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    assert.ok(!lines.some((l) => /DeprecationWarning|\bDEP\d{4}\b/.test(l)), `a deprecation warning was printed:\n${lines.join("\n")}`);
    const odd = lines.filter((l) => !HUMAN_LINE.test(l) && !/^Keepsafe is running \(local mode\)\. Open http/.test(l));
    assert.deepEqual(odd, [], "every line is a human log line or the one 'Open ...' line");
    const bad = lines.filter((l) => /\] (WARN|ERROR|FATAL)\b/.test(l));
    assert.deepEqual(bad, [], "no warning or error line in a clean run");
    assert.ok(
      lines.some((l) => /\] INFO: graph-sandbox: graph request recorded/.test(l)),
      "the Graph sandbox logged its requests",
    );
    assert.ok(
      lines.some((l) => /\] INFO: stopping/.test(l)),
      "the stop was logged",
    );
  });

  it("serves the app's icon as /favicon.ico for the host page and the tab", async () => {
    // Started above and stopped; a fresh start on the same data dir answers the favicon too.
    keepsafe = await spawnKeepsafe({ PORT: "0", KEEPSAFE_DATA_DIR: dataDir });
    const res = await fetch(`${keepsafe.url}/favicon.ico`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    const body = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...body.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
    assert.deepEqual(body, fs.readFileSync(path.join(import.meta.dirname, "..", "..", "appPackage", "color.png")));
    await keepsafe.stop();
  });
});
