/**
 * `<dataDir>/local-parts.json`: where the local parts a running Keepsafe started can be reached,
 * so a second instance on the same data dir joins them (local-parts.ts). Written by the process
 * that owns them, removed when it stops; a file left by a process that died is ignored.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { pidAlive } from "./cosmos/data-dir-lock.js";

const PARTS_FILE = "local-parts.json";

const loopbackUrl = z
  .string()
  .max(300)
  .refine((u) => /^https?:\/\/127\.0\.0\.1:\d+\//.test(u), "a loopback URL");

const partsFileSchema = z.strictObject({
  pid: z.number().int().positive(),
  cosmos: loopbackUrl,
  identity: loopbackUrl.optional(),
  graph: z.strictObject({ baseUrl: loopbackUrl, pageUrl: loopbackUrl }).optional(),
  blob: z.string().max(1000).optional(),
});

export type PartsFile = z.infer<typeof partsFileSchema>;

export function writePartsFile(dataDir: string, parts: PartsFile): void {
  const file = path.join(dataDir, PARTS_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(parts), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file); // a reader never sees half a file
}

/** The parts file when its owner is alive; undefined when there is none or it is stale or malformed. */
export function joinableParts(dataDir: string): PartsFile | undefined {
  try {
    const parsed = partsFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, PARTS_FILE), "utf8")));
    return parsed.success && parsed.data.pid !== process.pid && pidAlive(parsed.data.pid) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function removePartsFile(dataDir: string): void {
  const file = path.join(dataDir, PARTS_FILE);
  try {
    const current = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown };
    if (current.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
