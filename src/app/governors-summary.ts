/**
 * The governors' and Ofsted summary for a term or school year: counts and trends only. It is built
 * from the incident report's counts (so each reader counts only what they could open, and SLT never sees a
 * protected category), with the pupil list dropped and every count from 1 to 2 shown as
 * "fewer than 3", and more hidden where the total would give a small one away (small-counts.ts),
 * so no pupil can be told from it. A school year is its terms' published counts added up, so the
 * year and its terms compared give no hidden count away (summary-year.ts). As a PDF it is drawn
 * like a chronology.
 */
import type { Actor } from "../domain/actor.js";
import { previousRange, summaryRange, suppressed, termsOfYear, type SummaryPeriod } from "../domain/summary-periods.js";
import { addedUp, SUMMARY_RULE, yearFromTerms, type PublishedCounts } from "../domain/summary-year.js";
import { formatWallClock } from "../domain/wall-clock.js";
import { calendarOf } from "../domain/school-calendar.js";
import { PERIODS, type ReportGrouping } from "../domain/report-periods.js";
import { suppressBreakdown } from "../domain/small-counts.js";
import type { GovernorsSummary } from "../contract/summary-views.js";
import type { ChronologyRenderer } from "../ports/chronology-document.js";
import type { Clock } from "../ports/clock.js";
import { randomUUID } from "node:crypto";
import { currentCategoryIds, storeGrouping, tally, type IncidentReport, type ReportDeps } from "./incident-report.js";
import { countedFacts, countInStore, loadReportContext, periodBounds } from "./report-context.js";
import type { ReportCountQuery } from "../ports/record-store.js";
import { reportCountRule } from "../domain/policy/index.js";
import { auditOrigin } from "./audit-origin.js";
import type { AuditFields } from "./audit-event.js";

const SECTIONS: [ReportGrouping, string][] = [
  ["month", "By month"],
  ["category", "By category"],
  ["yearGroup", "By year group"],
  ["pupilGroup", "By pupil group"],
  ["session", "By time of day"],
];

/**
 * `audit`: the view's audit event, written with the read (the PDF audits its own export instead).
 * One read of the school, the roll and the reader's tags, and one count by the store per section
 * grouping (incident-report.ts), each split into the period's terms and the period before, serve
 * every section of every term: the cost does not grow with the terms or the records counted.
 */
export async function governorsSummary(
  deps: ReportDeps,
  actor: Actor,
  q: { period: SummaryPeriod; date: string },
  audit?: (range: { from: string; to: string }) => AuditFields,
): Promise<GovernorsSummary> {
  return (await summaryWithSchool(deps, actor, q, audit)).summary;
}

type Part = { from: string; to: string; label: string };

async function summaryWithSchool(
  deps: ReportDeps,
  actor: Actor,
  q: { period: SummaryPeriod; date: string },
  audit?: (range: { from: string; to: string }) => AuditFields,
) {
  const { ctx, loaded } = await loadReportContext(deps, actor, async ({ school }, later) => {
    const calendar = calendarOf(school);
    const range = summaryRange(q.period, q.date, calendar);
    const before = previousRange(q.period, range.from, calendar);
    // A year is counted term by term, so that it can be added up from its terms (summary-year.ts).
    const partsOf = (p: Part): Part[] => (q.period === "term" ? [p] : termsOfYear(p.from, calendar));
    const parts = { now: partsOf(range), before: partsOf(before) };
    const all = [...parts.before, ...parts.now].map((p) => ({ ...p, ...periodBounds(school, p) }));
    const cuts = [...new Set(all.flatMap((p) => [p.from, p.until]))].sort();
    const asked: ReportCountQuery = {
      schoolId: actor.schoolId,
      from: cuts[0]!,
      until: cuts.at(-1)!,
      rule: reportCountRule(actor, school.categories),
      groupings: SECTION_GROUPINGS.map((g) => storeGrouping(g, school)!),
      splitAt: cuts.slice(1, -1),
    };
    return { range, before, parts, cuts, ...(await countInStore(deps, actor, asked, later.taggedIds, audit?.(range))) };
  });
  const { range, before, parts, cuts, counts } = loaded;
  const linked = countedFacts(actor, ctx, loaded.linked, {}, currentCategoryIds);
  /** One part's report, grouped as asked: the store's counts of that part and the linked records in it. */
  const reportFor = (p: Part) => {
    const { from, until } = periodBounds(ctx.school, p);
    const index = cuts.indexOf(from);
    const inPart = <T extends { part?: number }>(rows: T[]) => rows.filter((r) => (r.part ?? 0) === index);
    const facts = linked.filter((f) => f.occurredAt >= from && f.occurredAt < until);
    return (groupBy: ReportGrouping) => {
      const g = SECTION_GROUPINGS.indexOf(groupBy);
      return tally(ctx, { ...p, groupBy }, { byPupil: inPart(counts.byPupil), groups: g < 0 ? [] : inPart(counts.groups[g]!) }, facts);
    };
  };
  const published = (p: Part) => termCounts(reportFor(p));
  const counted =
    q.period === "term"
      ? published(parts.now[0]!)
      : yearFromTerms(
          parts.now.map((t) => published(t)),
          keepOrder,
        );
  const totalOf = (p: Part) => suppressed(reportFor(p)("month").total);
  const previous = q.period === "term" ? totalOf(parts.before[0]!) : addedUp(parts.before.map(totalOf));
  const summary: GovernorsSummary = {
    period: range.label,
    from: range.from,
    to: range.to,
    rule: SUMMARY_RULE,
    ...counted,
    previous: { period: before.label, total: previous },
  };
  return { summary, school: ctx.school };
}

/** The store's grouping each section needs; the pupil-based sections come from the per-pupil counts. */
const SECTION_GROUPINGS: ReportGrouping[] = ["month", "category", "session"];

const keepOrder = (title: string) => SECTIONS.some(([groupBy, t]) => t === title && (PERIODS as readonly string[]).includes(groupBy));

/** One term's counts as its summary publishes them, small counts hidden within it (small-counts.ts). */
function termCounts(reportBy: (groupBy: ReportGrouping) => IncidentReport): PublishedCounts {
  const reports = SECTIONS.map(([groupBy]) => reportBy(groupBy));
  const first = reports[0]!;
  return {
    total: suppressed(first.total),
    open: suppressed(first.open),
    // Rows only: the report's "pupils with repeated concerns" names children and is never part of it.
    sections: SECTIONS.map(([, title], i) => ({ title, ...suppressBreakdown(first.total, reports[i]!.rows, { keepOrder: keepOrder(title) }) })),
  };
}

export async function governorsSummaryPdf(
  deps: ReportDeps & { clock: Clock; renderChronology: ChronologyRenderer },
  actor: Actor,
  q: { period: SummaryPeriod; date: string },
) {
  const { summary, school } = await summaryWithSchool(deps, actor, q);
  const pdf = await deps.renderChronology({
    title: "Safeguarding summary for governors and Ofsted",
    schoolName: school.name,
    pupilLine: `${summary.period} (${summary.from} to ${summary.to}). ${summary.rule}`,
    periodLine: `Concerns recorded: ${summary.total.shown} (still open: ${summary.open.shown}); ${summary.previous.period}: ${summary.previous.total.shown}.`,
    watermark: `Prepared by ${actor.name} on ${formatWallClock(deps.clock.now().toISOString(), school.timeZone)}`,
    entries: summary.sections.map((s) => ({
      heading: s.title,
      lines: [...(s.rows.length || s.note ? s.rows.map((r) => `${r.label}: ${r.count.shown}`) : ["None recorded."]), ...(s.note ? [s.note] : [])],
      actions: [],
    })),
  });
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    type: "summary.exported",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { period: q.period, from: summary.from, to: summary.to },
    ...auditOrigin(actor),
  });
  return { pdf, filename: `safeguarding-summary-${summary.from}-to-${summary.to}.pdf` };
}
