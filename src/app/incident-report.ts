/**
 * Reports for DSLs, deputies and SLT: incidents counted over time and by what the form recorded.
 * The store reads only the counted fields of the school's incidents in the period (never accounts);
 * each is then kept only if the reader may open it (policy.canViewIncident), so every count,
 * total and row is over the records the reader could open, and a filter to one pupil group gives
 * the same total as that group's row when grouping by pupil group (both count the same records).
 */
import type { Actor } from "../domain/actor.js";
import { ForbiddenError } from "../domain/errors.js";
import { PERIODS, periodOf, type Period, type ReportGrouping } from "../domain/report-periods.js";
import { dateIn, WEEKDAYS } from "../domain/school-clock.js";
import { calendarOf } from "../domain/school-calendar.js";
import { pupilDisplayName, type Pupil, type PupilFlag, type School } from "../domain/school.js";
import type { RecordStore, ReportFact } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import type { AuditFields } from "./audit-event.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import { referralTimeliness, type ReferralTimeliness } from "./referral-timeliness.js";
import { countedFacts, loadReportContext, periodBounds, pupilFilter, readFacts, type ReportContext } from "./report-context.js";

export interface IncidentReportQuery {
  /** The first and last day (YYYY-MM-DD) in the school's own calendar, both included. */
  from: string;
  to: string;
  groupBy: ReportGrouping;
  categoryIds?: string[];
  yearGroups?: string[];
  pupilGroups?: PupilFlag[];
}

export interface IncidentReport {
  groupBy: ReportGrouping;
  from: string;
  to: string;
  total: number;
  /** Of those, still active (nobody has closed them). */
  open: number;
  rows: { key: string; label: string; count: number }[];
  /** Pupils with two or more of the counted records in the period, most first. */
  repeatedConcerns: { pupilId: string; name: string; count: number }[];
  /** The safeguarding team's alone: absent for anyone else (referral-timeliness.ts). */
  referralTimeliness?: ReferralTimeliness;
}

export interface ReportDeps {
  schools: SchoolStore;
  records: RecordStore;
  /** Dates the audit event of a refused report, and "today" for referrals past due. */
  clock: Clock;
  caseEntries?: CaseEntryStore;
}

/**
 * The categories an incident counts under now. One function, so that when DSLs re-categorise
 * (category changes kept as their own records) reports can read the current ones here.
 */
export const currentCategoryIds = (fact: ReportFact): string[] => fact.categoryIds;

const SESSION_LABELS: Record<string, string> = {
  "before-school": "Before school",
  morning: "Morning",
  lunch: "Lunchtime",
  afternoon: "Afternoon",
  "after-school": "After school",
  "outside-school": "Outside school hours",
};

/**
 * The report, audited as a view when `audit` is given (report-view-audit.ts): the event is written
 * once every refusal and check has passed, alongside the read of the facts rather than after it,
 * so it costs the answer no extra round trip; a report that cannot be audited is not answered.
 * `withReferralTimeliness`: the reports page's referral section (two more queries).
 */
export async function incidentReport(
  deps: ReportDeps,
  actor: Actor,
  q: IncidentReportQuery,
  opts: { audit?: AuditFields; withReferralTimeliness?: boolean } = {},
): Promise<IncidentReport> {
  const { ctx, loaded: facts } = await loadReportContext(deps, actor, ({ school, categories, groups }) => {
    // Asking for what the role may not see is refused, never answered with a count of it.
    if ((q.categoryIds ?? []).some((id) => !categories.some((c) => c.id === id)))
      throw ForbiddenError("Reports cover only the categories your role may see.");
    if ((q.pupilGroups ?? []).some((g) => !groups.includes(g))) throw ForbiddenError("Reports cover only the pupil groups your role may know.");
    return readFacts(deps, actor, school, q, opts.audit);
  });
  const counted = countedFacts(actor, ctx, facts, q, currentCategoryIds);
  const timeliness = opts.withReferralTimeliness
    ? await referralTimeliness(deps, actor, ctx.school, periodBounds(ctx.school, q), pupilFilter(q), ctx.roster)
    : undefined;
  return { ...reportOf(ctx, q, counted), ...(timeliness ? { referralTimeliness: timeliness } : {}) };
}

/** The report of facts already counted (countedFacts): what the governors' summary builds each section with. */
export function reportOf(ctx: ReportContext, q: Pick<IncidentReportQuery, "from" | "to" | "groupBy">, counted: ReportFact[]): IncidentReport {
  const { roster } = ctx;
  const rows = new Map<string, { key: string; label: string; count: number }>();
  const add = (key: string, label: string) => {
    const row = rows.get(key) ?? { key, label, count: 0 };
    row.count++;
    rows.set(key, row);
  };
  const keysOf = groupingKeys(q.groupBy, ctx.school, ctx.categories, ctx.groups);
  for (const f of counted) for (const [key, label] of keysOf(f, roster.get(f.pupilId))) add(key, label);

  const perPupil = new Map<string, number>();
  for (const f of counted) perPupil.set(f.pupilId, (perPupil.get(f.pupilId) ?? 0) + 1);
  const repeatedConcerns = [...perPupil]
    .filter(([, n]) => n >= 2)
    .map(([pupilId, count]) => ({ pupilId, count, name: roster.has(pupilId) ? pupilDisplayName(roster.get(pupilId)!) : "Former pupil" }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

  return {
    groupBy: q.groupBy,
    from: q.from,
    to: q.to,
    total: counted.length,
    open: counted.filter((f) => f.status === "active").length,
    rows: sortRows(q.groupBy, [...rows.values()]),
    repeatedConcerns,
  };
}

type Keys = (f: ReportFact, pupil: Pupil | undefined) => [string, string][];

/** The row(s) one record counts in: several for several categories or pupil groups. */
function groupingKeys(groupBy: ReportGrouping, school: School, categories: School["categories"], groups: PupilFlag[]): Keys {
  const date = (f: ReportFact) => dateIn(f.occurredAt, school.timeZone);
  const calendar = calendarOf(school);
  if ((PERIODS as readonly string[]).includes(groupBy)) {
    return (f) => {
      const p = periodOf(groupBy as Period, date(f), calendar);
      return [[p.key, p.label]];
    };
  }
  switch (groupBy) {
    case "category":
      // Only categories the reader may see are rows: SLT never gets a row of a protected category.
      return (f) => currentCategoryIds(f).flatMap((id) => categories.filter((c) => c.id === id).map((c): [string, string] => [c.id, c.name]));
    case "subCategory": {
      const subs = categories.flatMap((c) => c.subCategories.map((s) => ({ ...s, label: `${c.name}: ${s.name}` })));
      return (f) => f.subCategoryIds.flatMap((id) => subs.filter((s) => s.id === id).map((s): [string, string] => [s.id, s.label]));
    }
    case "dayOfWeek":
      return (f) => [[f.dayOfWeek ?? "Unknown", f.dayOfWeek ?? "Not recorded"]];
    case "session":
      return (f) => [[f.session ?? "none", f.session ? (SESSION_LABELS[f.session] ?? f.session) : "Not recorded"]];
    case "location":
      return (f) => [[f.location ?? "", f.location || "Not recorded"]];
    case "yearGroup":
      return (f, p) => [[p?.yearGroup ?? "", p?.yearGroup || "Not known"]];
    case "class":
      return (f, p) => [[p?.className ?? "", p?.className || "Not known"]];
    case "pupilGroup":
      // Only the flags the reader may know are groups (SLT never sees CP or CIN as one).
      return (f, p) => (p?.flags ?? []).filter((g) => groups.includes(g)).map((g): [string, string] => [g, g]);
    default:
      return () => [];
  }
}

function sortRows(groupBy: ReportGrouping, rows: IncidentReport["rows"]) {
  if (groupBy === "dayOfWeek") return rows.sort((a, b) => rank(a.key) - rank(b.key));
  if ((PERIODS as readonly string[]).includes(groupBy)) return rows.sort((a, b) => a.key.localeCompare(b.key));
  return rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

const rank = (day: string) => {
  const i = (WEEKDAYS as readonly string[]).indexOf(day);
  return i < 0 ? 99 : i;
};
