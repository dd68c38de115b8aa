import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { startLocalCosmos } from "../../src/local/cosmos/local-cosmos.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli/keepsafe.mjs");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed-style CLI (the .mjs shim) as its own process, as a school's admin would. */
function runCli(args: string[], dataDir: string, cwd: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KEEPSAFE_DATA_DIR: dataDir };
  for (const name of ["COSMOS_ENDPOINT", "COSMOS_KEY", "LOG_LEVEL"]) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const PUPIL_HEADER = "upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags";

describe("keepsafe import (CLI)", function () {
  this.timeout(90_000);
  let dir: string;
  let dataDir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "keepsafe-cli-"));
    dataDir = path.join(dir, "data");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("imports good files, printing progress and a summary, and the data is there afterwards", async () => {
    const rows = [PUPIL_HEADER];
    for (let i = 1; i <= 1200; i++) rows.push(`C${String(i).padStart(12, "0")},Pupil${i},Surname${i},,2017-06-01,Year 3,Kestrels,`);
    writeFileSync(path.join(dir, "pupils.csv"), `\uFEFF${rows.join("\r\n")}\r\n`);
    writeFileSync(
      path.join(dir, "staff.csv"),
      "aad_object_id,display_name,email,role\n7d1c2b5e-3f4a-4c8e-9b21-0a6d5e4f3c21,Helen Okafor,helen@school.example,DSL\n",
    );

    const run = await runCli(
      ["import", "--pupils", "pupils.csv", "--staff", "staff.csv", "--school", "cli-school", "--name", "CLI Primary"],
      dataDir,
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Imported into school "cli-school" \(new school created\)/);
    assert.match(run.stdout, /pupils: 1200 rows, 1200 new, 0 updated/);
    assert.match(run.stdout, /staff: {2}1 rows, 1 new, 0 updated/);
    assert.match(run.stdout, /alert group "Safeguarding team": 1 member\b/);
    assert.deepEqual(
      run.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("pupils:")),
      ["pupils: 500 of 1200 rows written", "pupils: 1000 of 1200 rows written", "pupils: 1200 of 1200 rows written"],
    );

    // The CLI started and stopped its own local server; the import must have been made durable.
    const cosmos = await startLocalCosmos({ dataDir });
    const stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, databaseId: "keepsafe", caPem: cosmos.caPem });
    try {
      const schools = stores.schoolStore;
      assert.equal((await schools.getSchool("cli-school"))?.name, "CLI Primary");
      assert.equal((await schools.listPupils("cli-school")).length, 1200);
      assert.equal((await schools.getPupil("cli-school", pupilIdFor("cli-school", "C000000000042")))?.className, "Kestrels");
    } finally {
      stores.dispose();
      await cosmos.stop();
    }
  });

  it("uses the one stored school when --school is left out, and updates rather than duplicates", async () => {
    writeFileSync(path.join(dir, "update.csv"), `${PUPIL_HEADER}\nC000000000042,Pupil42,Surname42,,2017-06-01,Year 3,Falcons,SEND\n`);
    const run = await runCli(["import", "--pupils", "update.csv"], dataDir, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Imported into school "cli-school",/);
    assert.match(run.stdout, /pupils: 1 rows, 0 new, 1 updated/);
    assert.doesNotMatch(run.stderr, /rows written/, "no progress noise for a small file");
  });

  it("imports through a running Keepsafe's local server when one serves the data dir", async () => {
    const cosmos = await startLocalCosmos({ dataDir });
    const stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, databaseId: "keepsafe", caPem: cosmos.caPem });
    try {
      writeFileSync(path.join(dir, "joined.csv"), `${PUPIL_HEADER}\nC000000000043,Pupil43,Surname43,,2017-06-01,Year 3,Herons,\n`);
      const run = await runCli(["import", "--pupils", "joined.csv", "--school", "cli-school"], dataDir, dir);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /through the running Keepsafe/);
      // Visible at once to the running server, with no restart.
      const pupil = await stores.schoolStore.getPupil("cli-school", pupilIdFor("cli-school", "C000000000043"));
      assert.equal(pupil?.className, "Herons");
    } finally {
      stores.dispose();
      await cosmos.stop();
    }
  });

  it("exits 1 on a bad file, listing every bad row by line and column and nothing else of the row", async () => {
    writeFileSync(
      path.join(dir, "bad-pupils.csv"),
      [
        PUPIL_HEADER,
        "D000000000001,Ada,Lovelace,,2017-02-29,Year 3,Kestrels,", // line 2: 2017 was not a leap year
        "D000000000002,Alan,Turing,,2017-03-01,Year 3,Kestrels,", // fine
        "D0001,Grace,Hopper,,2017-03-01,,Kestrels,", // line 4: bad UPN and no year group
      ].join("\n"),
    );
    const run = await runCli(["import", "--pupils", "bad-pupils.csv", "--school", "cli-school"], dataDir, dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Nothing was imported: the pupils file has 3 problems\./);
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("  bad-pupils.csv"));
    assert.deepEqual(lines, [
      "  bad-pupils.csv line 2: date_of_birth: is not a real date",
      "  bad-pupils.csv line 4: upn: must be 13 characters: a letter then 12 digits",
      "  bad-pupils.csv line 4: year_group: is required",
    ]);
    assert.doesNotMatch(run.stderr + run.stdout, /Lovelace|Hopper|Turing/);
    assert.equal(run.stdout, "");
  });

  it("exits 2 with usage when no file is given", async () => {
    const run = await runCli(["import", "--school", "cli-school"], dataDir, dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Give --pupils, --staff or both\./);
    assert.match(run.stderr, /Usage:/);
  });
});
