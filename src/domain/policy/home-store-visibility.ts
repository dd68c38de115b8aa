/**
 * canViewIncident said as a filter the record store can apply by itself, for a count counted in
 * the store (SELECT VALUE COUNT(1)) instead of the matching records read and checked one by one.
 * It is offered only where it says exactly what canViewIncident says of a record's current-state
 * document with no tags (the home's lists of cases for the safeguarding team and SLT pass none):
 * - raised by the reader: open;
 * - an allegation about an adult: open to the allegation's recipient (allegationRecipient): the
 *   head teacher every one (one naming the head names them, and those are left out for everyone),
 *   the chair of governors those naming the head, anyone else none;
 * - otherwise: open when alerted to it, and to SLT when none of its categories is protected.
 * Not offered (undefined) for a scoped senior leader: their scope is a set of pupils resolved at
 * sign-in, hundreds of ids a query would carry on every count; theirs stay read and checked, bounded.
 */
import type { Actor } from "../actor.js";
import type { School } from "../school.js";
import { isSafeguardingLead, isSeniorLeader } from "./roles.js";

export interface StoreVisibility {
  /** Raised by, or (not an allegation) alerted to, this member of staff. */
  staffId: string;
  /** Allegations the reader receives: every one, or those naming this member of staff; absent, none. */
  allegations?: { all: true } | { naming: string };
  /** Records (not allegations) the reader's role opens: those with none of these categories; absent, none. */
  roleOpensExcept?: string[];
}

export type HomeStoreCount = { kind: "every-record" } | { kind: "visible"; visibility: StoreVisibility } | { kind: "read-and-check" };

export function homeStoreCount(
  actor: Pick<Actor, "role" | "staffId" | "scopePupilIds">,
  school: Pick<School, "categories" | "headTeacherStaffId" | "chairOfGovernorsStaffId">,
): HomeStoreCount {
  if (isSafeguardingLead(actor.role)) return { kind: "every-record" };
  if (actor.scopePupilIds) return { kind: "read-and-check" };
  const head = school.headTeacherStaffId;
  const allegations =
    head && actor.staffId === head ? { all: true as const } : head && actor.staffId === school.chairOfGovernorsStaffId ? { naming: head } : undefined;
  const protectedIds = school.categories.filter((c) => c.protected).map((c) => c.id);
  return {
    kind: "visible",
    visibility: {
      staffId: actor.staffId,
      ...(allegations ? { allegations } : {}),
      ...(isSeniorLeader(actor.role) ? { roleOpensExcept: protectedIds } : {}),
    },
  };
}
