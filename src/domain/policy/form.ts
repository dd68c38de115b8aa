/**
 * The concern form's rules about people: who is asked "have you told a DSL?", who may close or
 * assign at submit, who may pick which category. The server's checks, the Adaptive Card and the
 * tab's React form all ask here, so the three never disagree.
 */
import type { Category } from "../categories.js";
import type { Role } from "../roles.js";
import { touchesProtected } from "./incident.js";
import { isSafeguardingLead, readsOthersRecords } from "./roles.js";

/** Who is filling the form in; undefined while the card does not yet know (treated as staff). */
type Who = { role: Role } | undefined;

export interface FormFacts {
  disclosure: boolean;
  categoryIds: readonly string[];
}

/** Only DSLs allocate Child Protection / Child in Need. */
export const canAllocateCategory = (who: Who, category: Pick<Category, "dslAllocatedOnly">) =>
  !category.dslAllocatedOnly || isSafeguardingLead(who?.role);

/** Non-DSLs raising a disclosure or a protected category are asked whether they told a DSL in person. */
export const mustAskToldDsl = (who: Who, categories: readonly { id: string; protected?: boolean }[], form: FormFacts) =>
  !isSafeguardingLead(who?.role) && (form.disclosure || touchesProtected(form.categoryIds, categories));

/** Only a DSL closes a safeguarding concern, a disclosure or an allegation as it is raised. */
export const mayCloseAtSubmit = (
  who: Who,
  categories: readonly { id: string; protected?: boolean }[],
  form: FormFacts & { allegationStaffIds: readonly string[] },
) => isSafeguardingLead(who?.role) || !(touchesProtected(form.categoryIds, categories) || form.disclosure || form.allegationStaffIds.length > 0);

/** A concern is assigned to a DSL, deputy DSL or member of SLT, never to staff who only record. */
export const canBeAssigned = (member: { role: Role | string }) => readsOthersRecords(member.role);

/** Only a DSL uploading a scanned paper form says who wrote it (the page shows the box; the API decides). */
export const canNoteWhoWroteScan = (who: Who) => isSafeguardingLead(who?.role);
