/**
 * Reads env/.env.{KEEPSAFE_ENV} (default "local") into process.env without overriding what the
 * shell already set, so a test or an operator can point one part elsewhere.
 */
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

export function loadEnvFile(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.KEEPSAFE_ENV ?? "local";
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`KEEPSAFE_ENV must be a simple name such as "local" or "prod", not "${name}".`);
  const file = path.join(projectRoot, "env", `.env.${name}`);
  if (!fs.existsSync(file)) return undefined;
  const values = parseEnv(fs.readFileSync(file, "utf8")) as Record<string, string>;
  for (const [k, v] of Object.entries(values)) if (env[k] === undefined && v !== "") env[k] = v;
  return file;
}
