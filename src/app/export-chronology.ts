/**
 * A pupil's chronology as a PDF for a child protection conference or core group: the entries the
 * chosen period and categories select, oldest first, each with its categories, author, account,
 * actions and body map. DSLs and deputies only; each export is audited against the pupil (so it is
 * listed in the pupil's audit) and the PDF is watermarked with who made it and when.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { NotFoundError, ValidationError } from "../domain/errors.js";
import { PART_LABELS, type ChronologyRowKind } from "../domain/incident.js";
import { assertCanExportChronology, can, canViewAction, canViewIncident } from "../domain/policy/index.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import { caseEntryDocumentEntry } from "./case-entry-document.js";
import { pupilDisplayName } from "../domain/school.js";
import { formatWallClock, wallClockToIso } from "../domain/wall-clock.js";
import type { Clock } from "../ports/clock.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { auditedRefusal } from "./audited-refusal.js";
import { byIncident } from "./chronology.js";
import type { ChronologyDocumentEntry, ChronologyRenderer } from "../ports/chronology-document.js";

export interface ChronologyExportQuery {
  /** First and last day (YYYY-MM-DD), both included, in the school's calendar. */
  from: string;
  to: string;
  /** Only entries in one of these categories; all when absent. */
  categoryIds?: string[];
  /** The chronology's entry types on screen; all when absent (see `selects`). */
  kinds?: ChronologyRowKind[];
}

/**
 * What the chronology's filters put on screen, so the pack matches it: a concern's actions and
 * changes are printed under it, so any of those types selects the concerns; referrals, meetings and
 * calls have no category, so a category filter leaves them out as it does on screen.
 */
function selects(q: ChronologyExportQuery) {
  const kinds = q.kinds?.length ? q.kinds : undefined;
  return {
    concerns: !kinds || kinds.some((k) => k !== "case-entry"),
    caseEntries: (!kinds || kinds.includes("case-entry")) && !q.categoryIds?.length,
  };
}

export interface ChronologyExportDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  renderChronology: ChronologyRenderer;
  /** Referrals, meetings, calls and disclosures, shown to those the policy lets see them. */
  caseEntries?: CaseEntryStore;
}

export async function exportChronologyPdf(deps: ChronologyExportDeps, actor: Actor, pupilId: string, q: ChronologyExportQuery) {
  // Refused for the role whether or not the pupil exists; audited against the pupil when they do.
  const asked = await deps.schools.getPupil(actor.schoolId, pupilId);
  await auditedRefusal(deps, actor, asked ? { pupilId: asked.id } : {}, "chronology.export", () => assertCanExportChronology(actor));
  const [school, pupil, staff] = await Promise.all([
    deps.schools.getSchool(actor.schoolId),
    deps.schools.getPupil(actor.schoolId, pupilId),
    deps.schools.listStaff(actor.schoolId),
  ]);
  if (!school) throw NotFoundError("The school");
  if (!pupil) throw NotFoundError("The pupil");
  const from = wallClockToIso(q.from, "00:00", school.timeZone);
  const to = wallClockToIso(q.to, "23:59", school.timeZone);
  if (!from || !to) throw ValidationError([{ field: "from", message: "Give the days as YYYY-MM-DD." }]);
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const categoryName = (id: string) => school.categories.find((c) => c.id === id)?.name ?? "Former category";
  const when = (iso: string) => formatWallClock(iso, school.timeZone);

  const wanted = selects(q);
  const end = new Date(Date.parse(to) + 60_000).toISOString();
  const selected = wanted.concerns
    ? (await deps.records.chronology(pupilId))
        .filter((e) => e.kind === "incident" && e.occurredAt >= from && e.occurredAt < end)
        .filter((e) => !q.categoryIds?.length || e.categoryIds.some((id) => q.categoryIds!.includes(id)))
    : [];
  // The selected incidents and their actions in one query each, not two reads per entry.
  const stored = await deps.records.incidentsWithActions(selected);
  const incidents = new Map(stored.incidents.map((i) => [i.id, i]));
  const actionsOf = byIncident(stored.actions);

  const dated: { at: string; entry: ChronologyDocumentEntry }[] = [];
  for (const e of selected) {
    const incident = incidents.get(e.incidentId);
    const actions = actionsOf.get(e.incidentId) ?? [];
    // The allegation rule holds here too: the named adult never exports it, even as a DSL.
    if (!incident || !canViewIncident(actor, incident, school.categories, actions)) continue;
    dated.push({
      at: incident.occurredAt,
      entry: {
        heading: `${when(incident.occurredAt)} · ${incident.categoryIds.map(categoryName).join(", ")} · ${incident.reference}`,
        lines: [
          `Recorded by ${incident.raisedBy.name} on ${when(incident.recordedAt)}; status ${incident.status}.`,
          ...(e.part !== "subject" ? [`This pupil's part: ${PART_LABELS[e.part]}.`] : []),
          ...(incident.location || incident.session ? [`Where: ${[incident.session, incident.location].filter(Boolean).join(", ")}.`] : []),
          incident.account,
        ],
        actions: actions
          .filter((a) => canViewAction(actor, a))
          .map((a) => ({
            heading: `${a.kind === "correction" ? "Correction" : "Action"} · ${when(a.occurredAt)} · ${names.get(a.recordedBy.staffId) ?? a.recordedBy.name}`,
            text: a.text,
          })),
        ...(incident.bodyMap ? { bodyMap: incident.bodyMap } : {}),
      },
    });
  }
  // Case entries of the period, in time order with the concerns.
  if (wanted.caseEntries && deps.caseEntries && can(actor, "view", { kind: "case-entry" })) {
    for (const c of await deps.caseEntries.caseEntriesForPupil(pupilId))
      if (c.occurredAt >= from && c.occurredAt < end) dated.push({ at: c.occurredAt, entry: caseEntryDocumentEntry(c, when) });
  }
  const entries = dated.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((d) => d.entry);

  const now = deps.clock.now().toISOString();
  const pdf = await deps.renderChronology({
    schoolName: school.name,
    pupilLine: `${pupilDisplayName(pupil)} · born ${pupil.dateOfBirth} · ${pupil.yearGroup}, ${pupil.className}`,
    periodLine: `Entries from ${q.from} to ${q.to}${q.categoryIds?.length ? ` in ${q.categoryIds.map(categoryName).join(", ")}` : ""}`,
    watermark: `Exported by ${actor.name} on ${when(now)}`,
    entries,
  });
  // Audited before the file goes out: an export that cannot be audited is not made.
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    pupilId,
    type: "chronology.exported",
    actorStaffId: actor.staffId,
    at: now,
    detail: {
      entries: entries.length,
      from: q.from,
      to: q.to,
      ...(q.categoryIds?.length ? { categoryIds: q.categoryIds } : {}),
      ...(q.kinds?.length ? { kinds: q.kinds } : {}),
    },
  });
  return { pdf, filename: `chronology-${pupil.upn}-${q.from}-to-${q.to}.pdf` };
}
