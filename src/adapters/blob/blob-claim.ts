/**
 * A file's claim as blob metadata (orphan-upload-job.ts reads it from the listing). Metadata
 * values must be plain ASCII header text, so the claim is JSON, URI-encoded; read back, it is
 * parsed with zod like any outside input. A claim that does not parse is never trusted as "no
 * claim": the file is treated as one stored before claims, whose holder is searched for.
 */
import { z } from "zod";
import type { FileClaim, ListedFile } from "../../ports/file-store.js";

/** Blob metadata names (C# identifiers): uploads stored since claims were kept, and the claim. */
const CLAIMS = "keepsafeclaims";
const CLAIM = "keepsafeclaim";

/** Written with every new upload: from then on, no claim means no record was stored with it. */
export const CLAIMS_KEPT: Readonly<Record<string, string>> = { [CLAIMS]: "yes" };

const claimSchema = z.strictObject({
  record: z.enum(["incident", "case-entry"]),
  pupilId: z.string().min(1).max(200),
  recordId: z.string().min(1).max(300),
  claimedAt: z.iso.datetime(),
});

export const claimMetadata = (claim: FileClaim): Record<string, string> => ({
  [CLAIM]: encodeURIComponent(JSON.stringify(claimSchema.parse(claim))),
});

export function claimOf(metadata: Record<string, string> | undefined): Pick<ListedFile, "claimsKept" | "claim"> {
  const kept = metadata?.[CLAIMS] === "yes";
  const raw = metadata?.[CLAIM];
  if (raw === undefined) return { claimsKept: kept };
  const parsed = claimSchema.safeParse(parseJson(raw));
  return parsed.success ? { claimsKept: kept, claim: parsed.data } : { claimsKept: false };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(raw));
  } catch {
    return undefined;
  }
}
