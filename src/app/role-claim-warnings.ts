/**
 * The structured warning for a group overage: Entra sent a pointer to Graph instead of the
 * person's groups, so their groups counted for nothing and they may have less access than the
 * school meant. Ids and a code only, never names. Logged once per member of staff per process,
 * because every request of theirs would otherwise repeat it.
 */
import { childLogger } from "../logger.js";

export const roleClaimLog = childLogger("role-claims");

export const GROUPS_OVERAGE = "role_claims.groups_overage";

/** Bounded, so a long-running instance cannot grow it without limit. */
const MAX_REMEMBERED = 10_000;
const warned = new Set<string>();

export function warnGroupsOverage(staffId: string, schoolId: string) {
  if (warned.has(staffId)) return;
  if (warned.size >= MAX_REMEMBERED) warned.clear();
  warned.add(staffId);
  roleClaimLog.warn(
    { event: GROUPS_OVERAGE, staffId, schoolId },
    "token carries a group overage instead of groups: groups give no role (assign an app role, or narrow the groups emitted)",
  );
}
