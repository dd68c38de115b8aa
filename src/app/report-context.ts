/**
 * What every report over a school's incidents reads once: the school, its roll, and the incidents
 * the reader is tagged on (being tagged opens an incident), after the role check. The incident
 * report reads it for its one answer; the governors' summary reads it once for all its sections
 * and both its periods, so its cost does not grow with the number of sections.
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError, ValidationError } from "../domain/errors.js";
import { wallClockToIso } from "../domain/wall-clock.js";
import { assertCanViewReports, canViewIncident, passesReportCountRule, reportableCategories, reportablePupilGroups } from "../domain/policy/index.js";
import { PUPIL_FLAGS, type Pupil, type PupilFlag, type School } from "../domain/school.js";
import type { RecordStore, ReportCountQuery, ReportCounts, ReportFact } from "../ports/record-store.js";
import { appendAudit, type AuditFields } from "./audit-event.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import { auditedRefusal } from "./audited-refusal.js";

export interface ReportContext {
  school: School;
  roster: ReadonlyMap<string, Pupil>;
  taggedIds: ReadonlySet<string>;
  /** The categories and pupil groups the reader's role may see counted. */
  categories: School["categories"];
  groups: PupilFlag[];
}

/** The filters a report's records are kept by (all optional: none keeps every record the reader may open). */
export interface FactFilters {
  categoryIds?: string[];
  yearGroups?: string[];
  pupilGroups?: PupilFlag[];
}

type Deps = { schools: SchoolStore; records: RecordStore; clock: Clock };

/**
 * The role check (a refusal is audited), then the school; the roll and the reader's tags are read
 * alongside whatever `alongside` asks of the store once the school and what the role may see are
 * known (it checks the query first, then reads the period's facts and writes the view's audit
 * event), so the whole read is two round trips.
 */
export async function loadReportContext<T>(
  deps: Deps,
  actor: Actor,
  alongside: (
    seen: Pick<ReportContext, "school" | "categories" | "groups">,
    later: { roster: Promise<ReportContext["roster"]>; taggedIds: Promise<ReportContext["taggedIds"]> },
  ) => Promise<T>,
): Promise<{ ctx: ReportContext; loaded: T }> {
  await auditedRefusal(deps, actor, {}, "report.view", () => assertCanViewReports(actor));
  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  const seen = { school, categories: reportableCategories(actor, school.categories), groups: reportablePupilGroups(actor, PUPIL_FLAGS) };
  // Read once, and handed to `alongside` for the reads that need them (a filter to year groups, the linked records).
  const roster = deps.schools.listPupils(actor.schoolId).then((pupils) => new Map(pupils.map((p) => [p.id, p])));
  const taggedIds = deps.records.incidentsTagging(actor.staffId).then((tagged) => new Set(tagged));
  const [rosterRead, taggedRead, loaded] = await Promise.all([roster, taggedIds, alongside(seen, { roster, taggedIds })]);
  return { ctx: { ...seen, roster: rosterRead, taggedIds: taggedRead }, loaded };
}

/**
 * The store's counts under the reader's count rule and the records outside it the reader might
 * open through a link (policy/report-counts.ts), with the view's audit event, in one round trip.
 * The linked come back without those the rule already counted, still to be decided by countedFacts.
 */
export async function countInStore(
  deps: Deps,
  actor: Actor,
  asked: ReportCountQuery,
  taggedIds: Promise<ReadonlySet<string>>,
  audit?: AuditFields,
): Promise<{ counts: ReportCounts; linked: ReportFact[] }> {
  const [counts, linked] = await Promise.all([
    deps.records.reportCounts(asked),
    taggedIds.then((tagged) => deps.records.reportLinkedFacts(asked, [...tagged])),
    audit ? appendAudit(deps, actor, audit) : undefined,
  ]);
  return { counts, linked: linked.filter((f) => !passesReportCountRule(asked.rule, f)) };
}

/** The first instant of `from` and of the day after `to`, in the school's time zone. */
export const periodBounds = (school: School, period: { from: string; to: string }) => ({
  from: startOfDay(period.from, school.timeZone),
  until: startOfDay(dayAfter(period.to), school.timeZone),
});

/** Does the pupil pass the report's year group and pupil group filters? */
export const pupilFilter =
  (q: FactFilters) =>
  (pupil: Pupil | undefined): boolean => {
    if (q.yearGroups?.length && !(pupil && q.yearGroups.includes(pupil.yearGroup))) return false;
    if (q.pupilGroups?.length && !(pupil && pupil.flags.some((g) => q.pupilGroups!.includes(g)))) return false;
    return true;
  };

/**
 * The facts counted: each kept only if the reader may open it (policy.canViewIncident), then by the
 * filters, so every count is over records the reader could open.
 */
export function countedFacts(
  actor: Actor,
  ctx: ReportContext,
  facts: ReportFact[],
  q: FactFilters,
  categoriesOf: (f: ReportFact) => string[],
): ReportFact[] {
  const taggedFor = (f: ReportFact) => (ctx.taggedIds.has(f.id) ? [{ taggedStaffIds: [actor.staffId] }] : []);
  const keepPupil = pupilFilter(q);
  return facts.filter((f) => {
    if (!canViewIncident(actor, { ...f, raisedBy: { staffId: f.raisedBy.staffId, name: "" } }, ctx.school, taggedFor(f))) return false;
    if (q.categoryIds?.length && !categoriesOf(f).some((id) => q.categoryIds!.includes(id))) return false;
    return keepPupil(ctx.roster.get(f.pupilId));
  });
}

const startOfDay = (date: string, timeZone: string) => {
  const iso = wallClockToIso(date, "00:00", timeZone);
  if (!iso) throw ValidationError([{ field: "from", message: "Give the days as YYYY-MM-DD." }]);
  return iso;
};

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
