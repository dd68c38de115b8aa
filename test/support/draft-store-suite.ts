/**
 * The DraftStore port's behaviour, as one suite run unchanged against every implementation
 * (style.md: "the same suite for a port runs unchanged against every adapter of it").
 * `make` gives a fresh, empty store for each test.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { BodyMap } from "../../src/domain/body-map.js";
import type { DraftFile, DraftOwner, DraftStore } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";

const owner: DraftOwner = { staffId: "staff-1", schoolId: "school-1" };
const colleague: DraftOwner = { staffId: "staff-2", schoolId: "school-1" };
const otherSchool: DraftOwner = { staffId: "staff-1", schoolId: "school-2" };

const bodyMap: BodyMap = {
  marks: [{ side: "front", x: 0.3, y: 0.45, colour: "Purple", shape: "Bruise", size: "3 cm" }],
  recordedAt: "2025-07-01T10:00:00.000Z",
  recordedBy: owner.staffId,
};
export const draftFile = (fileId: string, who: DraftOwner = owner): DraftFile => ({
  fileId,
  key: `${who.schoolId}/${fileId}`,
  name: `${fileId}.pdf`,
  contentType: "application/pdf",
  size: 123,
  uploadedBy: { staffId: who.staffId, name: "A Teacher" },
  uploadedAt: "2025-07-01T10:01:00.000Z",
});

export function draftStoreSuite(make: () => Promise<DraftStore> | DraftStore) {
  let drafts: DraftStore;
  let form: string;
  beforeEach(async () => {
    drafts = await make();
    form = `form-${randomUUID()}`;
  });

  it("has no draft for a form nobody has touched", async () => {
    assert.equal(await drafts.get(owner, form), undefined);
  });

  it("keeps a body map for its owner, replacing it when saved again", async () => {
    const saved = await drafts.saveBodyMap(owner, form, bodyMap);
    assert.deepEqual(saved.bodyMap, bodyMap);
    assert.equal(saved.staffId, owner.staffId);
    assert.deepEqual(saved.files, []);
    const second = { ...bodyMap, marks: [...bodyMap.marks, { side: "back" as const, x: 0.5, y: 0.2 }] };
    await drafts.saveBodyMap(owner, form, second);
    const read = await drafts.get(owner, form);
    assert.deepEqual(read?.bodyMap, second);
    assert.equal(read?.submissionId, form);
  });

  it("keeps each person's and school's draft apart: another's form id is a new, empty form to them", async () => {
    await drafts.saveBodyMap(owner, form, bodyMap);
    assert.equal(await drafts.get(colleague, form), undefined, "not there for a colleague");
    assert.equal(await drafts.get(otherSchool, form), undefined, "not there for another school");
    await drafts.saveBodyMap(colleague, form, { ...bodyMap, marks: [] });
    await drafts.reserveFile(colleague, form, "f-x", LIMITS.filesPerRecord);
    await drafts.completeFile(colleague, form, draftFile("f-x", colleague));
    await drafts.releaseFile(colleague, form, "f-x");
    assert.deepEqual((await drafts.get(colleague, form))?.files, [draftFile("f-x", colleague)], "the colleague's own draft");
    await drafts.discard(colleague, form);
    assert.equal(await drafts.get(colleague, form), undefined);
    const mine = await drafts.get(owner, form);
    assert.deepEqual(mine?.bodyMap, bodyMap, "the owner's draft is untouched");
    assert.deepEqual(mine?.files, []);
  });

  it("turns a reservation into a file; a reservation alone is pending, not a file", async () => {
    await drafts.reserveFile(owner, form, "f-1", LIMITS.filesPerRecord);
    await drafts.reserveFile(owner, form, "f-2", LIMITS.filesPerRecord);
    let draft = await drafts.get(owner, form);
    assert.deepEqual(draft?.files, []);
    assert.deepEqual([...(draft?.pendingFileIds ?? [])].sort(), ["f-1", "f-2"]);
    const completed = await drafts.completeFile(owner, form, draftFile("f-1"));
    assert.deepEqual(completed.files, [draftFile("f-1")]);
    draft = await drafts.get(owner, form);
    assert.deepEqual(draft?.files, [draftFile("f-1")]);
    assert.deepEqual(draft?.pendingFileIds, ["f-2"]);
    await drafts.releaseFile(owner, form, "f-2");
    assert.deepEqual((await drafts.get(owner, form))?.pendingFileIds, []);
  });

  it("never lets parallel uploads pass the limit, and gives back released places", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: LIMITS.filesPerRecord + 5 }, (_, i) => drafts.reserveFile(owner, form, `f${i}`, LIMITS.filesPerRecord)),
    );
    assert.equal(attempts.filter((a) => a.status === "fulfilled").length, LIMITS.filesPerRecord);
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    assert.equal(refused.length, 5);
    for (const r of refused) assert.match(r.reason.message, /at most 10 files/);
    assert.equal((await drafts.get(owner, form))?.pendingFileIds.length, LIMITS.filesPerRecord);
    const reserved = (await drafts.get(owner, form))!.pendingFileIds;
    await drafts.releaseFile(owner, form, reserved[0]);
    await drafts.reserveFile(owner, form, "f-again", LIMITS.filesPerRecord);
    await assert.rejects(drafts.reserveFile(owner, form, "f-more", LIMITS.filesPerRecord), /at most 10 files/);
  });

  it("counts stored files towards the limit as well as pending ones", async () => {
    for (let i = 0; i < 3; i++) {
      await drafts.reserveFile(owner, form, `f${i}`, 3);
      await drafts.completeFile(owner, form, draftFile(`f${i}`));
    }
    await assert.rejects(drafts.reserveFile(owner, form, "f3", 3), /at most 3 files/);
  });

  it("discards a draft for its owner; discarding a missing draft is fine", async () => {
    await drafts.saveBodyMap(owner, form, bodyMap);
    await drafts.discard(owner, form);
    assert.equal(await drafts.get(owner, form), undefined);
    await drafts.discard(owner, form);
    await drafts.releaseFile(owner, form, "never-reserved");
    assert.equal(await drafts.get(owner, form), undefined, "releasing on a missing draft does not make one");
  });

  it("hands out copies: changing what it returned changes nothing stored", async () => {
    const saved = await drafts.saveBodyMap(owner, form, bodyMap);
    saved.bodyMap!.marks.push({ side: "back", x: 0, y: 0 });
    saved.files.push(draftFile("sneaky"));
    const read = await drafts.get(owner, form);
    assert.equal(read?.bodyMap?.marks.length, 1);
    assert.deepEqual(read?.files, []);
  });
}
