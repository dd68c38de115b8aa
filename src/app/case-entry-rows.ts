/**
 * A page's case entries (referrals, meetings, calls...) as chronology rows, for the safeguarding
 * team only (policy: case-entry view). A referral's row says when an answer is due, whether it is
 * overdue today in the school's calendar, and whether its outcome is in (one query for the page).
 */
import type { Actor } from "../domain/actor.js";
import { CASE_ENTRY_LABELS, caseEntrySummary, fileOfCaseEntry, type CaseEntry } from "../domain/case-entries.js";
import { can } from "../domain/policy/index.js";
import { isOverdue } from "../domain/referral-watch.js";
import { dateIn } from "../domain/school-clock.js";
import type { School } from "../domain/school.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { Clock } from "../ports/clock.js";
import type { ChronologyRow } from "./views.js";
import { caseEntryFileUrl, fileView } from "./file-view.js";

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 159)}…` : text);

export async function caseEntryRows(
  deps: { caseEntries?: CaseEntryStore; clock: Clock },
  actor: Actor,
  school: School,
  entries: CaseEntry[],
): Promise<ChronologyRow[]> {
  if (!entries.length || !can(actor, "view", { kind: "case-entry" })) return [];
  const referrals = entries.filter((e) => e.kind === "referral");
  const outcomes =
    referrals.length && deps.caseEntries
      ? await deps.caseEntries.outcomesFor(
          referrals[0].pupilId,
          referrals.map((r) => r.id),
        )
      : [];
  const answered = new Set(outcomes.map((o) => o.referralId));
  const today = dateIn(deps.clock.now(), school.timeZone);
  return entries.map((e) =>
    withFile(e, {
      kind: "case-entry",
      incidentId: "",
      reference: CASE_ENTRY_LABELS[e.kind],
      part: "subject",
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      categoryIds: [],
      categoryNames: [],
      raisedBy: e.by,
      summary: clip(caseEntrySummary(e)),
      status: "active",
      unreadByYou: false,
      urgent: false,
      unacknowledgedAlerts: 0,
      caseEntryId: e.id,
      caseEntryKind: e.kind,
      ...(e.kind === "referral"
        ? {
            referral: {
              agencyName: e.agencyName,
              dueDate: e.dueDate,
              overdue: isOverdue(e.dueDate, today, answered.has(e.id)),
              outcomeRecorded: answered.has(e.id),
            },
          }
        : {}),
    }),
  );
}

/** A document's row (or a meeting's with papers) says which file, its type, who uploaded it and when. */
function withFile(e: CaseEntry, row: ChronologyRow): ChronologyRow {
  const file = fileOfCaseEntry(e);
  if (!file) return row;
  return { ...row, file: fileView(file, caseEntryFileUrl(e.pupilId, e.id)), ...(e.kind === "document" ? { documentType: e.documentType } : {}) };
}
