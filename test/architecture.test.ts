/**
 * The real tree keeps the layer matrix (issue 7, "One door"): dependency-cruiser's rules in
 * .dependency-cruiser.cjs (domain <- app <- adapters / api / bot / local; the tab shares only the
 * contract and the domain; no store at an edge) and Keepsafe's lint rules in eslint.config.js
 * (no role decision outside src/domain/policy; no hand-written API type in the tab). The checks
 * themselves are tested on scratch trees in test/architecture-checks.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  CRUISED,
  describeViolation,
  importViolations,
  keepsafeLintFindings,
  knownImportViolations,
  projectRoot,
  type LintFinding,
} from "./support/architecture-checks.js";

/**
 * Role decisions made outside the policy today, which a colleague is moving into
 * src/domain/policy/ (issue 7). THIS LIST MUST ONLY SHRINK, TO ZERO: never add to it. When one is
 * moved, delete its line here (the test fails on a stale entry so the list cannot outlive them).
 * Entries are file + the comparison's code, not line numbers, so edits around them do not matter.
 */
// Emptied when the policy move landed (src/domain/policy/); it stays as the place to see that it is empty.
const ROLE_DECISIONS_STILL_OUTSIDE_THE_POLICY: LintFinding[] = [];

/**
 * Edges that received the DraftStore (a store) rather than a use case. Emptied when KeepsafeService
 * was split into use cases and the edges were given those (issue 7); it stays as the place to see that it is empty.
 */
const DRAFT_STORES_STILL_AT_AN_EDGE: LintFinding[] = [];

const TOLERATED = [...ROLE_DECISIONS_STILL_OUTSIDE_THE_POLICY, ...DRAFT_STORES_STILL_AT_AN_EDGE];

const key = (f: LintFinding) => `${f.rule}: ${f.file}: ${f.code}`;

describe("architecture: dependencies point inward (dependency-cruiser)", () => {
  let found: string[];
  let known: string[];
  before(async function () {
    this.timeout(120_000);
    found = (await importViolations(projectRoot)).map(describeViolation).sort();
    known = knownImportViolations().map(describeViolation).sort();
  });

  it(`finds no import across the layer matrix in ${CRUISED.join(", ")} beyond the known violations`, () => {
    assert.deepEqual(
      found.filter((v) => !known.includes(v)),
      [],
      "new imports break the layer matrix (.dependency-cruiser.cjs); fix the import, do not add it to the baseline",
    );
  });

  it("keeps the known-violations baseline to imports that are still there", () => {
    assert.deepEqual(
      known.filter((v) => !found.includes(v)),
      [],
      "these known violations are gone: remove them from .dependency-cruiser-known-violations.json",
    );
  });
});

describe("architecture: role decisions, API types in the tab, drafts at an edge (eslint)", () => {
  let found: LintFinding[];
  before(async function () {
    this.timeout(120_000);
    found = await keepsafeLintFindings(CRUISED);
  });

  it("finds no role decision outside the policy, no hand-written API type in the tab and no DraftStore at an edge, beyond the lists that must shrink", () => {
    const tolerated = new Set(TOLERATED.map(key));
    assert.deepEqual(
      found.map(key).filter((k) => !tolerated.has(k)),
      [],
    );
  });

  it("keeps those lists to findings that are still there", () => {
    const present = new Set(found.map(key));
    assert.deepEqual(
      TOLERATED.map(key).filter((k) => !present.has(k)),
      [],
      "delete these from the list: they are gone",
    );
  });
});

describe("architecture: CI lints before it tests", () => {
  it("runs npm run lint in .ci/run, before npm test, so a lint error (a store at an edge, a role decision) fails CI", () => {
    const steps = fs
      .readFileSync(path.join(projectRoot, ".ci", "run"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    const lint = steps.indexOf("npm run lint");
    assert.ok(lint >= 0, ".ci/run does not run npm run lint");
    assert.ok(lint < steps.indexOf("npm test"), "npm run lint must come before npm test in .ci/run");
    const format = steps.indexOf("npm run format:check");
    assert.ok(format >= 0 && format < steps.indexOf("npm test"), "npm run format:check must run before npm test in .ci/run");
  });
});
