/** Drafts are kept per person and school, so a form id reused or guessed never reaches another's draft. */
import type { Actor } from "../domain/actor.js";
import type { DraftOwner } from "../domain/files.js";

export const draftOwner = (actor: Pick<Actor, "staffId" | "schoolId">): DraftOwner => ({ staffId: actor.staffId, schoolId: actor.schoolId });
