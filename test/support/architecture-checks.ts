/**
 * Runs the architecture checks the way `npm run arch` and `npm run lint` do, for the tests in
 * test/architecture*.test.ts: dependency-cruiser over a tree with .dependency-cruiser.cjs, and
 * ESLint with eslint.config.js. Both take a root so the same rules run over the real tree and
 * over a scratch tree in a temp dir (the tests of the checks themselves).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { ESLint } from "eslint";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CRUISED = ["src", "bot", "tab"];

/** One import the layer matrix forbids, as dependency-cruiser's baseline writes it. */
export interface ImportViolation {
  from: string;
  to: string;
  rule: string;
}

export const describeViolation = (v: ImportViolation) => `${v.rule}: ${v.from} -> ${v.to}`;

/** Every import that breaks a rule of .dependency-cruiser.cjs under `root`, known ones included. */
export async function importViolations(root: string): Promise<ImportViolation[]> {
  const options = await extractDepcruiseOptions(path.join(projectRoot, ".dependency-cruiser.cjs"));
  const tsConfig = extractTSConfig(path.join(root, "tsconfig.json"));
  const dirs = CRUISED.filter((d) => fs.existsSync(path.join(root, d)));
  // baseDir: paths, and the rules' path patterns, are read relative to `root`.
  const { output } = await cruise(dirs, { ...options, baseDir: root, outputType: "json" }, {}, { tsConfig });
  const result = (typeof output === "string" ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations
    .filter((v) => v.type === "dependency" && v.rule.severity === "error")
    .map((v) => ({ from: v.from, to: v.to, rule: v.rule.name }));
}

/** The imports .dependency-cruiser-known-violations.json lets through until they are removed. */
export function knownImportViolations(): ImportViolation[] {
  const raw = JSON.parse(fs.readFileSync(path.join(projectRoot, ".dependency-cruiser-known-violations.json"), "utf8")) as {
    from: string;
    to: string;
    rule: { name: string };
  }[];
  return raw.map((v) => ({ from: v.from, to: v.to, rule: v.rule.name }));
}

/** One problem Keepsafe's own lint rules found: file, rule and the code it points at (not the line, which moves). */
export interface LintFinding {
  file: string;
  rule: string;
  code: string;
}

let eslint: ESLint | undefined;
const linter = () => (eslint ??= new ESLint({ cwd: projectRoot }));

/** The lint rules that guard the architecture: Keepsafe's own, and the DraftStore-at-an-edge import rule. */
const isArchitectureRule = (ruleId: string | null) => !!ruleId && (ruleId.startsWith("keepsafe/") || ruleId === "no-restricted-imports");

function findingsOf(results: ESLint.LintResult[]): LintFinding[] {
  return results.flatMap((r) => {
    const messages = r.messages.filter((m) => isArchitectureRule(m.ruleId) || m.fatal);
    if (messages.length === 0) return [];
    const lines = (r.source ?? fs.readFileSync(r.filePath, "utf8")).split("\n");
    return messages.map((m) => {
      const line = lines[m.line - 1] ?? "";
      const code = m.endLine === m.line && m.endColumn ? line.slice(m.column - 1, m.endColumn - 1) : line.trim();
      return { file: path.relative(projectRoot, r.filePath).split(path.sep).join("/"), rule: m.ruleId ?? "fatal", code };
    });
  });
}

/** What the architecture lint rules report on the real files under `dirs` (relative to the project). */
export async function keepsafeLintFindings(dirs: string[]): Promise<LintFinding[]> {
  return findingsOf(await linter().lintFiles(dirs));
}

/**
 * What ESLint reports for `code` as if it were the file at `file` (relative to the project), with
 * the project's config: a scratch file that never touches the tree.
 */
export async function lintScratch(file: string, code: string): Promise<LintFinding[]> {
  const results = await linter().lintText(code, { filePath: path.join(projectRoot, file) });
  return findingsOf(results);
}
