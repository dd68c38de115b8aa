/**
 * The architecture checks themselves: each rule must report the import or code it exists for.
 * dependency-cruiser runs with the project's .dependency-cruiser.cjs over a scratch tree in a temp
 * dir; ESLint runs with the project's eslint.config.js over scratch text given a path in the tree
 * (lintText: nothing is written into the tree). Controls (what the rules allow) sit beside each.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importViolations, lintScratch, projectRoot } from "./support/architecture-checks.js";

/** file -> its text; every import points at a file that exists so resolution is not what is tested. */
const SCRATCH_TREE: Record<string, string> = {
  // Targets.
  "src/adapters/cosmos/store.ts": "export const cosmos = 1;\n",
  "src/ports/record-store.ts": "export interface RecordStore { id: string }\n",
  "src/ports/file-store.ts": "export interface FileStore { id: string }\n",
  "src/app/keepsafe-service.ts": "export class KeepsafeService {}\n",
  "src/app/concern-fields.ts": "export const FIELDS = [];\n",
  "src/domain/other.ts": "export const other = 1;\n",
  "bot/handler.ts": 'import type { RecordStore } from "../src/ports/record-store.js";\nexport const handler = (s: RecordStore) => s;\n',
  // Violations.
  "src/domain/leaky.ts": 'import { cosmos } from "../adapters/cosmos/store.js";\nexport const leaky = cosmos;\n',
  "src/app/use-case.ts": 'import { cosmos } from "../adapters/cosmos/store.js";\nexport const useCase = cosmos;\n',
  "src/app/bb.ts": 'import type { TurnContext } from "botbuilder";\nexport type T = TurnContext;\n',
  "src/contract/views.ts": 'import { KeepsafeService } from "../app/keepsafe-service.js";\nexport const v = KeepsafeService;\n',
  "src/ports/leak.ts": 'import { KeepsafeService } from "../app/keepsafe-service.js";\nexport type L = KeepsafeService;\n',
  "src/api/files.ts": 'import type { FileStore } from "../ports/file-store.js";\nexport type F = FileStore;\n',
  "src/api/route.ts": 'import { handler } from "../../bot/handler.js";\nexport const r = handler;\n',
  "src/cli/run.ts": 'import { cosmos } from "../adapters/cosmos/store.js";\nexport const run = cosmos;\n',
  "tab/src/reach.ts": 'import { KeepsafeService } from "../../src/app/keepsafe-service.js";\nexport const reach = KeepsafeService;\n',
  "tab/src/api-types.ts": 'import * as z from "zod/mini";\nexport const pupils = z.object({});\n',
  "tab/src/node.ts": 'import fs from "node:fs";\nexport const read = fs.readFileSync;\n',
  // Controls: allowed.
  "src/domain/ok.ts": 'import { createHash } from "node:crypto";\nimport { other } from "./other.js";\nexport const ok = [createHash, other];\n',
  "src/compose.ts": 'import { cosmos } from "./adapters/cosmos/store.js";\nexport const compose = cosmos;\n',
  "src/main.ts": 'import { handler } from "../bot/handler.js";\nexport const main = handler;\n',
  "tab/src/api-client.ts":
    'import type * as z from "zod/mini";\nimport { FIELDS } from "../../src/app/concern-fields.js";\nexport type S = z.ZodMiniType;\nexport const f = FIELDS;\n',
};

/** What must be reported: "rule: from". Nothing else may be (the controls stay clean). */
const EXPECTED = [
  "domain-imports-only-itself: src/domain/leaky.ts",
  "app-sees-domain-contract-ports: src/app/use-case.ts",
  "app-sees-domain-contract-ports: src/app/bb.ts",
  "botbuilder-only-in-bot: src/app/bb.ts",
  "contract-is-schemas-over-the-domain: src/contract/views.ts",
  "ports-are-interfaces-over-the-domain: src/ports/leak.ts",
  "no-store-at-an-edge: bot/handler.ts",
  "no-store-at-an-edge: src/api/files.ts",
  "no-store-at-an-edge: src/cli/run.ts",
  "src-never-imports-bot-or-tab: src/api/route.ts",
  "tab-shares-only-contract-and-domain: tab/src/reach.ts",
  "tab-takes-response-types-from-the-contract: tab/src/api-types.ts",
  "tab-bundle-has-no-node-builtins: tab/src/node.ts",
].sort();

describe("architecture checks: the layer matrix reports each forbidden import (scratch tree)", () => {
  let dir: string;
  let reported: string[];
  before(async function () {
    this.timeout(120_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-arch-"));
    for (const [file, text] of Object.entries(SCRATCH_TREE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
    );
    // The real packages (zod, botbuilder), so npm imports resolve under node_modules/ as in the tree.
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    reported = [...new Set((await importViolations(dir)).map((v) => `${v.rule}: ${v.from}`))].sort();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const expected of EXPECTED) {
    it(`reports ${expected}`, () => assert.ok(reported.includes(expected), `not reported; got:\n${reported.join("\n")}`));
  }

  it("reports nothing else: node: builtins in the domain, the CLI's composition, the entry point and the API client's zod types are allowed", () => {
    assert.deepEqual(
      reported.filter((r) => !EXPECTED.includes(r)),
      [],
    );
  });
});

const ROLE_RULE = "keepsafe/no-role-comparison";
const TAB_RULE = "keepsafe/no-hand-written-response-type";

/** [scratch path in the tree, code, rules that must be reported (in order; [] = clean)]. */
const LINT_CASES: [string, string, string[]][] = [
  ["src/app/scratch-role.ts", 'export const may = (actor: { role: string }) => actor.role === "DSL";\n', [ROLE_RULE]],
  ["bot/scratch-role.ts", 'export const may = (actor: { role: string }) => "SLT" !== actor.role;\n', [ROLE_RULE]],
  ["src/api/scratch-role.ts", "export const may = (actor?: { role: string }) => actor?.role == `DDSL`;\n", [ROLE_RULE]],
  [
    "tab/src/scratch-role.ts",
    'export function may(role: string) {\n  switch (role) {\n    case "DSL":\n      return true;\n  }\n  return false;\n}\n',
    [ROLE_RULE],
  ],
  ["src/domain/roles-scratch.ts", 'export const lead = (role: string) => role === "DSL" || role === "DDSL";\n', [ROLE_RULE, ROLE_RULE]],
  ["bot/scratch-computed.ts", 'export const may = (actor: { role: string }) => (actor["role"] as string) === "DSL";\n', [ROLE_RULE]],
  ["bot/scratch-list.ts", 'export const lead = (actor: { role: string }) => ["DSL", "DDSL"].includes(actor.role);\n', [ROLE_RULE]],
  ["src/app/scratch-set.ts", 'export const lead = (role: string) => new Set(["DSL"]).has(role);\n', [ROLE_RULE]],
  ["src/app/scratch-roles-from-config.ts", "export const inGroup = (g: { roles: string[] }, s: { role: string }) => g.roles.includes(s.role);\n", []],
  ["src/domain/policy/scratch-incident.ts", 'export const may = (actor: { role: string }) => actor.role === "DSL";\n', []],
  ["src/domain/policy.ts", 'export const may = (actor: { role: string }) => actor.role !== "STAFF";\n', []],
  ["test/app/scratch.test.ts", 'export const dsl = [{ role: "DSL" }].find((s) => s.role === "DSL");\n', []],
  ["tab/src/views/scratch-incident.tsx", "export interface IncidentView {\n  id: string;\n}\n", [TAB_RULE]],
  ["tab/src/scratch-types.ts", "export type PupilListResponse = { pupils: string[] };\n", [TAB_RULE]],
  ["tab/src/scratch-zod.ts", 'import * as z from "zod/mini";\nexport const pupils = z.object({ id: z.string() });\n', [TAB_RULE, TAB_RULE]],
  ["tab/src/scratch-named.ts", "declare const make: () => unknown;\nexport const pupilSchema = make();\n", [TAB_RULE]],
  ["tab/src/views/scratch-props.tsx", "export interface IncidentViewProps {\n  id: string;\n}\n", []],
  ["bot/scratch-drafts.ts", 'import type { DraftStore } from "../src/domain/files.js";\nexport type D = DraftStore;\n', ["no-restricted-imports"]],
  [
    "src/api/scratch-drafts.ts",
    'import { InMemoryDraftStore } from "../domain/files.js";\nexport const d = new InMemoryDraftStore();\n',
    ["no-restricted-imports"],
  ],
  ["bot/scratch-files.ts", 'import { ACCEPTED_FILES_SUMMARY } from "../src/domain/files.js";\nexport const s = ACCEPTED_FILES_SUMMARY;\n', []],
  ["src/scratch-compose.ts", 'import type { DraftStore } from "./domain/files.js";\nexport type D = DraftStore;\n', []],
  ["src/app/scratch-views.ts", "export interface IncidentView {\n  id: string;\n}\n", []],
];

describe("architecture checks: lint rules report role decisions, hand-written API types and drafts at an edge (scratch files)", function () {
  this.timeout(60_000);
  for (const [file, code, rules] of LINT_CASES) {
    it(rules.length ? `reports ${rules.join(", ")} in ${file}` : `allows ${file}`, async () => {
      const findings = await lintScratch(file, code);
      assert.deepEqual(
        findings.map((f) => f.rule),
        rules,
        JSON.stringify(findings),
      );
    });
  }
});
