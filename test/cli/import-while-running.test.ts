/**
 * `npx keepsafe import` while Keepsafe is running in local mode: the CLI joins the running
 * server's Cosmos DB and the running tab's pupil search sees the new pupil without a restart.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnKeepsafe, type KeepsafeProcess } from "../support/keepsafe-process.js";
import { projectRoot, staffByRole } from "../support/keepsafe-instance.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";

describe("keepsafe import while Keepsafe is running", function () {
  this.timeout(120_000);
  let dir: string;
  let keepsafe: KeepsafeProcess | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-live-import-"));
  });
  after(async () => {
    await keepsafe?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adds a pupil the running tab can find at once", async () => {
    keepsafe = await spawnKeepsafe({ PORT: "0", KEEPSAFE_DATA_DIR: dir });
    const dsl = staffByRole(/^DSL/);
    const tokenRes = await fetch(`${keepsafe.url}/teams-host/sso-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ oid: dsl.oid, mfa: true }),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const search = async (q: string) =>
      (
        (await (await fetch(`${keepsafe!.url}/api/pupils?query=${q}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          pupils: { displayName: string }[];
        }
      ).pupils;
    assert.deepEqual(await search("Zephyrine"), [], "not there before the import");

    const csv = path.join(dir, "new-pupils.csv");
    fs.writeFileSync(
      csv,
      "upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags\nA123456789012,Zephyrine,Quillfeather,,2018-02-03,Year 2,Robins,EAL\n",
    );
    const run = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(projectRoot, "src/cli/keepsafe.mjs"), "import", "--pupils", csv, "--school", DEMO_SCHOOL_ID],
        { cwd: projectRoot, env: { ...process.env, KEEPSAFE_DATA_DIR: dir }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /1 new/);

    const found = await search("Zephyrine");
    assert.equal(found.length, 1);
    assert.equal(found[0].displayName, "Zephyrine Quillfeather");
  });
});
