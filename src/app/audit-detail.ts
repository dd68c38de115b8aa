/**
 * An audit event's detail as the trail shows it (tab and CSV alike). Detail is non-personal by
 * construction (ids, counts, codes) and is shown as `key=value; …`; an event a DSL must read at a
 * glance also gets a sentence in plain words first, its codes kept after it.
 */
import type { AuditEvent } from "../domain/incident.js";
import { HELD_ALERT_DECLINE_WORDS } from "../domain/policy/index.js";

const pairs = (detail: AuditEvent["detail"]) =>
  Object.entries(detail ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`)
    .join("; ");

/** A staff member's name from the school's list; the trail is for DSLs, who see staff names already. */
type Names = ReadonlyMap<string, string>;

function inWords(e: AuditEvent, names: Names): string | undefined {
  if (e.type !== "alert.declined") return undefined;
  const who = typeof e.detail?.declinedStaffId === "string" ? (names.get(e.detail.declinedStaffId) ?? "a former member of staff") : "someone";
  const why = typeof e.detail?.reason === "string" ? HELD_ALERT_DECLINE_WORDS.get(e.detail.reason) : undefined;
  return `Declined the alert held for ${who}${why ? `: ${why}` : ""}.`;
}

export function auditDetailText(e: AuditEvent, names: Names): string {
  const words = inWords(e, names);
  const codes = pairs(e.detail);
  return words ? [words, codes].filter(Boolean).join(" ") : codes;
}
