/** The pupil typeahead over a real store: name matching, ranking, archived pupils, fresh after import. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/index.js";
import { createCosmosStores } from "../../src/adapters/cosmos/index.js";
import { PupilIndex } from "../../src/app/pupil-index.js";
import { importSchool } from "../../src/app/import-school.js";
import type { SchoolStore } from "../../src/ports/school-store.js";

const HEADER = "upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags";

describe("pupil typeahead index", function () {
  this.timeout(30_000);
  let dir: string;
  let cosmos: LocalCosmos;
  let schools: SchoolStore;
  let dispose: () => void;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-index-"));
    cosmos = await startLocalCosmos({ dataDir: dir });
    const stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "index-test" });
    schools = stores.schoolStore;
    dispose = stores.dispose;
    const rows = [
      "A100000000001,Amelia,Jones,Millie,2018-01-01,Year 2,Robins,",
      "A100000000002,James,Amesbury,,2017-01-01,Year 3,Wrens,SEND",
      "A100000000003,Zoë,Åberg,,2016-01-01,Year 4,Owls,EAL",
    ];
    for (let i = 0; i < 40; i++) rows.push(`B1000000000${String(i).padStart(2, "0")},Sam${i},Smith,,2015-01-01,Year 5,Hawks,`);
    await importSchool({ schools }, { schoolId: "s1", schoolName: "Index Primary", pupilsCsv: `${HEADER}\n${rows.join("\n")}\n` });
  });
  after(async () => {
    dispose?.();
    await cosmos?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("matches forename, preferred name and surname prefixes, best first", async () => {
    const index = new PupilIndex(schools);
    const am = await index.search("s1", "ame", 15);
    assert.deepEqual(
      am.map((p) => p.displayName),
      ["Millie Jones", "James Amesbury"],
      "a forename match ranks above a surname match",
    );
    assert.deepEqual(
      (await index.search("s1", "millie", 15)).map((p) => p.displayName),
      ["Millie Jones"],
    );
    assert.deepEqual(
      (await index.search("s1", "james ames", 15)).map((p) => p.yearGroup),
      ["Year 3"],
    );
  });

  it("ignores accents and case, and caps the results", async () => {
    const index = new PupilIndex(schools);
    assert.equal((await index.search("s1", "ZOE ABERG", 15))[0]?.className, "Owls");
    assert.equal((await index.search("s1", "smith", 15)).length, 15);
    assert.deepEqual(await index.search("s1", "   ", 15), []);
  });

  it("sees a re-import at once and never shows archived pupils", async () => {
    const index = new PupilIndex(schools);
    assert.deepEqual(await index.search("s1", "Quentin", 15), []);
    await importSchool({ schools }, { schoolId: "s1", pupilsCsv: `${HEADER}\nC100000000001,Quentin,Blake,,2016-05-05,Year 4,Owls,\n` });
    assert.equal((await index.search("s1", "Quentin", 15)).length, 1);
    const quentin = (await schools.listPupils("s1")).find((p) => p.forename === "Quentin")!;
    await schools.upsertPupils("s1", [{ ...quentin, archived: true }]);
    await importSchool({ schools }, { schoolId: "s1", pupilsCsv: `${HEADER}\nA100000000001,Amelia,Jones,Millie,2018-01-01,Year 2,Robins,\n` });
    assert.deepEqual(await index.search("s1", "Quentin", 15), []);
  });
});
