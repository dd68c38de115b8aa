/**
 * The governors' and Ofsted summary for a term or school year: counts and trends only. It is built
 * from the incident report (so each reader counts only what they could open, and SLT never sees a
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
import { currentCategoryIds, reportOf, type ReportDeps } from "./incident-report.js";
import { countedFacts, loadReportContext, periodBounds, readFacts, type ReportContext } from "./report-context.js";
import type { ReportFact } from "../ports/record-store.js";
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
 * One read of the school, the roll and the reader's tags, and one query of facts per period, serve
 * every section: the cost does not grow with the number of sections.
 */
export async function governorsSummary(
  deps: ReportDeps,
  actor: Actor,
  q: { period: SummaryPeriod; date: string },
  audit?: (range: { from: string; to: string }) => AuditFields,
): Promise<GovernorsSummary> {
  return (await summaryWithSchool(deps, actor, q, audit)).summary;
}

async function summaryWithSchool(
  deps: ReportDeps,
  actor: Actor,
  q: { period: SummaryPeriod; date: string },
  audit?: (range: { from: string; to: string }) => AuditFields,
) {
  const { ctx, loaded } = await loadReportContext(deps, actor, async ({ school }) => {
    const range = summaryRange(q.period, q.date, calendarOf(school));
    const before = previousRange(q.period, range.from, calendarOf(school));
    const facts = await Promise.all([readFacts(deps, actor, school, range, audit?.(range)), readFacts(deps, actor, school, before)]);
    return { range, before, facts };
  });
  const { range, before } = loaded;
  const [now, then] = loaded.facts.map((facts) => countedFacts(actor, ctx, facts, {}, currentCategoryIds));
  // A year is added up from its terms as each is published, so comparing them gives nothing away (summary-year.ts).
  const counts =
    q.period === "term"
      ? termCounts(ctx, range, now!)
      : yearFromTerms(
          byTerm(ctx, range, now!).map((t) => termCounts(ctx, t, t.facts)),
          keepOrder,
        );
  const previous = q.period === "term" ? suppressed(then!.length) : addedUp(byTerm(ctx, before, then!).map((t) => suppressed(t.facts.length)));
  const summary: GovernorsSummary = {
    period: range.label,
    from: range.from,
    to: range.to,
    rule: SUMMARY_RULE,
    ...counts,
    previous: { period: before.label, total: previous },
  };
  return { summary, school: ctx.school };
}

const keepOrder = (title: string) => SECTIONS.some(([groupBy, t]) => t === title && (PERIODS as readonly string[]).includes(groupBy));

/** One term's counts as its summary publishes them, small counts hidden within it (small-counts.ts). */
function termCounts(ctx: ReportContext, range: { from: string; to: string }, counted: ReportFact[]): PublishedCounts {
  const reports = SECTIONS.map(([groupBy]) => reportOf(ctx, { ...range, groupBy }, counted));
  const first = reports[0]!;
  return {
    total: suppressed(first.total),
    open: suppressed(first.open),
    // Rows only: the report's "pupils with repeated concerns" names children and is never part of it.
    sections: SECTIONS.map(([, title], i) => ({ title, ...suppressBreakdown(first.total, reports[i]!.rows, { keepOrder: keepOrder(title) }) })),
  };
}

/** A school year's counted facts shared out among its terms, each fact in the term its moment falls in. */
function byTerm(ctx: ReportContext, year: { from: string }, counted: ReportFact[]) {
  const terms = termsOfYear(year.from, calendarOf(ctx.school)).map((t) => ({
    ...t,
    starts: Date.parse(periodBounds(ctx.school, t).from),
    facts: [] as ReportFact[],
  }));
  for (const f of counted) (terms.findLast((t) => t.starts <= Date.parse(f.occurredAt)) ?? terms[0]!).facts.push(f);
  return terms;
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
