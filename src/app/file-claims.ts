/**
 * Claims a form's files for the record about to be stored, right before the batch that stores it
 * (record-incident.ts, case-entries.ts): the write-ahead the orphan clean-up relies on. The claim
 * on the upload names the record and its pupil, so the clean-up checks one upload with one point
 * read instead of a search across pupils (orphan-upload-job.ts).
 *
 * A crash or a refused batch after the claim leaves a claim naming a record that is not there; the
 * clean-up reads that, waits out a short settling time, and deletes the file as any orphan. A file
 * the clean-up deleted first cannot be claimed: the form is refused with a plain way on, so no
 * record is ever stored naming a file that is gone.
 */
import { ValidationError } from "../domain/errors.js";
import type { Clock } from "../ports/clock.js";
import type { FileClaim, FileStore } from "../ports/file-store.js";

export interface FileClaimDeps {
  files?: FileStore;
  clock: Clock;
}

export async function claimFiles(
  deps: FileClaimDeps,
  record: Omit<FileClaim, "claimedAt">,
  files: readonly { key: string }[],
  field: string,
): Promise<void> {
  // Without a file store there is no blob to claim, and no clean-up to claim it from.
  const store = deps.files;
  if (!files.length || !store) return;
  const claim: FileClaim = { ...record, claimedAt: deps.clock.now().toISOString() };
  const stored = await Promise.all(files.map((f) => store.claim(f.key, claim)));
  if (stored.includes(false))
    throw ValidationError([
      { field, message: "A file on this form is no longer kept: files of a form left unsent are removed after a while. Choose the file again." },
    ]);
}
