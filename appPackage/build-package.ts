/**
 * Builds the Teams app package, appPackage/build/keepsafe.zip (manifest.json, color.png,
 * outline.png), from manifest.template.json, and leaves the filled manifest beside it as
 * appPackage/build/manifest.json for Microsoft's own validator (`atk validate --manifest-file`).
 * Values come from the environment, as the Microsoft 365 Agents Toolkit does it: env/.env.{KEEPSAFE_ENV, default "local"} if present, then process.env on
 * top, then local defaults matching src/config.ts. The filled manifest is checked against the
 * official schema bundled in @microsoft/app-manifest before anything is written, so a package
 * Teams would refuse is never produced.
 *   node --import tsx appPackage/build-package.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { Ajv, addFormats } from "./ajv-draft-04.js";
import yazl from "yazl";
import { LOCAL_CLIENT_ID, LOCAL_TEAMS_APP_ID } from "../src/config.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(HERE, "..");
const require = createRequire(import.meta.url);

/** The local bot's app id. Locally no Bot Framework registration exists; it only has to be a GUID. */
export const LOCAL_BOT_ID = "3c1e7b52-8a4f-4d6e-9b0c-2f5a7d9e1c48";
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

export type PackageVariables = Record<string, string>;

/** Reads env/.env.{name} (if present) under process.env, and fills in what a local build needs. */
export function packageVariables(env: NodeJS.ProcessEnv = process.env, envDir = path.join(PROJECT_ROOT, "env")): PackageVariables {
  const envName = env.KEEPSAFE_ENV || "local";
  const envFile = path.join(envDir, `.env.${envName}`);
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  const pick = (name: string) => merged[name]?.trim() || undefined;

  const tabEndpoint = (pick("TAB_ENDPOINT") ?? pick("PUBLIC_URL") ?? "https://localhost:3978").replace(/\/+$/, "");
  const tabDomain = pick("TAB_DOMAIN") ?? new URL(tabEndpoint).host;
  const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version as string;
  return {
    APP_VERSION: pick("APP_VERSION") ?? version,
    APP_NAME_SUFFIX: merged.APP_NAME_SUFFIX ?? (envName === "local" ? " (local)" : ""),
    TEAMS_APP_ID: pick("TEAMS_APP_ID") ?? LOCAL_TEAMS_APP_ID,
    AAD_APP_CLIENT_ID: pick("AAD_APP_CLIENT_ID") ?? LOCAL_CLIENT_ID,
    BOT_ID: pick("BOT_ID") ?? LOCAL_BOT_ID,
    TAB_ENDPOINT: tabEndpoint,
    TAB_DOMAIN: tabDomain,
    BOT_DOMAIN: pick("BOT_DOMAIN") ?? tabDomain,
  };
}

/** Replaces every ${{NAME}}; a placeholder with no value is an error, never an empty string. */
export function fillTemplate(template: string, vars: PackageVariables): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return "";
    }
    // Values land inside JSON strings, so escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size) throw new Error(`manifest.template.json needs ${[...missing].join(", ")}`);
  return filled;
}

export type Manifest = Record<string, unknown> & { manifestVersion: string; validDomains?: string[] };

export function buildManifest(vars: PackageVariables, templatePath = path.join(HERE, "manifest.template.json")): Manifest {
  const manifest = JSON.parse(fillTemplate(readFileSync(templatePath, "utf8"), vars)) as Manifest;
  // Locally the tab and the bot share one host; Teams rejects a repeated valid domain.
  if (manifest.validDomains) manifest.validDomains = [...new Set(manifest.validDomains)];
  return manifest;
}

/** The official schema for the manifest's own manifestVersion, as bundled by @microsoft/app-manifest. */
export function officialSchemaPath(manifestVersion: string): string {
  const pkgDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  return path.join(pkgDir, "build", "json-schemas", "teams", `v${manifestVersion}`, "MicrosoftTeams.schema.json");
}

/** Schema problems as "path: message" lines; empty when the manifest is valid. Offline, draft-04 as the schema declares. */
export function validateManifest(manifest: Manifest): string[] {
  const schema = JSON.parse(readFileSync(officialSchemaPath(manifest.manifestVersion), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "is invalid"}`);
}

export interface BuiltPackage {
  zipPath: string;
  /** The same manifest.json as in the zip, next to it. */
  manifestPath: string;
  manifest: Manifest;
}

export async function buildPackage(opts: { env?: NodeJS.ProcessEnv; outDir?: string; iconDir?: string } = {}): Promise<BuiltPackage> {
  const manifest = buildManifest(packageVariables(opts.env ?? process.env));
  const problems = validateManifest(manifest);
  if (problems.length) throw new Error(`The Teams manifest does not match its schema:\n  ${problems.join("\n  ")}`);

  const outDir = opts.outDir ?? path.join(HERE, "build");
  const iconDir = opts.iconDir ?? HERE;
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, "keepsafe.zip");
  const zip = new yazl.ZipFile();
  // A fixed timestamp makes the same inputs give the same bytes, so builds can be compared.
  const mtime = new Date("2025-01-01T00:00:00Z");
  const manifestJson = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(outDir, "manifest.json"), manifestJson);
  zip.addBuffer(manifestJson, "manifest.json", { mtime });
  for (const icon of ["color.png", "outline.png"]) {
    zip.addBuffer(readFileSync(path.join(iconDir, icon)), icon, { mtime });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(zipPath);
    out.on("close", resolve).on("error", reject);
    zip.outputStream.on("error", reject).pipe(out);
  });
  return { zipPath, manifestPath: path.join(outDir, "manifest.json"), manifest };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildPackage().then(
    ({ zipPath, manifest }) =>
      console.log(`Built ${path.relative(process.cwd(), zipPath)} (manifest ${manifest.manifestVersion}, app ${String(manifest.id)})`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
