/**
 * Dependencies point inward: the domain imports no SDK and nothing outside itself; use cases
 * import only the domain and ports; botbuilder stays in bot/; nothing in src/ reaches into bot/
 * or tab/ except the composition's entry point; the tab shares only the domain with the server.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./support/keepsafe-instance.js";

interface Import {
  file: string;
  spec: string;
  resolved?: string;
}

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "dist" || d.name === "node_modules" ? [] : sources(rel);
    return /\.(ts|tsx|mts)$/.test(d.name) ? [rel] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = m[1] ?? m[2];
    const resolved = spec.startsWith(".") ? path.normalize(path.join(path.dirname(file), spec)) : undefined;
    out.push({ file, spec, resolved });
  }
  return out;
}

const all = (dir: string) => sources(dir).flatMap(importsOf);
const within = (imp: Import, ...dirs: string[]) => !!imp.resolved && dirs.some((d) => imp.resolved!.startsWith(d + path.sep) || imp.resolved === d);
const isNode = (spec: string) => spec.startsWith("node:");

describe("architecture: dependencies point inward", () => {
  it("keeps the domain free of SDKs and of every other layer", () => {
    const bad = all("src/domain").filter((i) => (i.resolved ? !within(i, "src/domain") : !isNode(i.spec)));
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("lets use cases see only the domain, the ports, each other and small pure parsing libraries", () => {
    const pure = new Set(["zod", "csv-parse/sync", "file-type"]);
    const bad = all("src/app").filter((i) =>
      i.resolved ? !within(i, "src/domain", "src/ports", "src/app", "src/contract") && i.resolved !== path.join("src", "logger.js") : !isNode(i.spec) && !pure.has(i.spec),
    );
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("keeps the contract to schemas over the domain", () => {
    const bad = all("src/contract").filter((i) => (i.resolved ? !within(i, "src/domain", "src/contract") : !["zod", "zod/mini"].includes(i.spec)));
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("keeps ports to plain interfaces over the domain", () => {
    const bad = all("src/ports").filter((i) => (i.resolved ? !within(i, "src/domain", "src/ports") : true));
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("keeps botbuilder at the edge, in bot/", () => {
    const botbuilder = [...all("src"), ...all("tab")].filter((i) => /^(botbuilder|botframework-)/.test(i.spec));
    assert.deepEqual(botbuilder.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("never reaches from src/ into bot/ or tab/, except the entry point that starts the server", () => {
    const bad = all("src").filter((i) => within(i, "bot", "tab") && i.file !== path.join("src", "main.ts"));
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });

  it("lets the tab share only the domain, the contract and the form's field names with the server", () => {
    const shared = path.join("src", "app", "concern-fields.js");
    const bad = all("tab").filter((i) => i.resolved && !within(i, "tab", "src/domain", "src/contract") && i.resolved !== shared);
    assert.deepEqual(bad.map((i) => `${i.file} -> ${i.spec}`), []);
  });
});

/** A comparison with a role, anywhere: `role ===`, `role !==`, `.role ==`, `role != "X"`. */
const ROLE_COMPARISON = /\brole\s*[!=]==?|[!=]==?\s*\w*\.?role\b/;
const POLICY_DIR = path.join("src", "domain", "policy") + path.sep;

/** Files (relative to the project) with a role comparison, outside the policy folder, and their lines. */
export function roleComparisonsOutsidePolicy(files: { file: string; text: string }[]): string[] {
  return files
    .filter((f) => !f.file.startsWith(POLICY_DIR))
    .flatMap((f) => f.text.split("\n").flatMap((line, i) => (ROLE_COMPARISON.test(line) ? [`${f.file}:${i + 1}: ${line.trim()}`] : [])));
}

describe("architecture: one policy decides access", () => {
  it("compares roles only in src/domain/policy/", () => {
    const files = ["src", "bot", "tab"].flatMap(sources).map((file) => ({ file, text: fs.readFileSync(path.join(projectRoot, file), "utf8") }));
    assert.deepEqual(roleComparisonsOutsidePolicy(files), []);
  });

  it("the check itself catches a role comparison outside the policy and lets the policy have them", () => {
    const scratch = [
      { file: path.join("bot", "cards", "scratch.ts"), text: 'const lead = actor.role === "DSL";' },
      { file: path.join("tab", "src", "scratch.tsx"), text: 'staff.filter((s) => s.role !== "STAFF")' },
      { file: path.join("src", "app", "scratch.ts"), text: 'if ("SLT" == member.role) go();' },
      { file: path.join("src", "app", "fine.ts"), text: "const roles = member.roles; shownTo(actor.role);" },
      { file: path.join("src", "domain", "policy", "roles.ts"), text: 'export const isSeniorLeader = (role: Role) => role === "SLT";' },
    ];
    assert.deepEqual(roleComparisonsOutsidePolicy(scratch), [
      `${path.join("bot", "cards", "scratch.ts")}:1: const lead = actor.role === "DSL";`,
      `${path.join("tab", "src", "scratch.tsx")}:1: staff.filter((s) => s.role !== "STAFF")`,
      `${path.join("src", "app", "scratch.ts")}:1: if ("SLT" == member.role) go();`,
    ]);
  });
});
