/**
 * Chases subject access deadlines: the DSL who opened a request, and every DSL and deputy, get a
 * content-free alert (activity type `subjectAccessDue`, and an email) through the outbox on the
 * school day a school-set number of school days before the deadline, on the day, and every school
 * day after it until a pack is released (subject-access-watch.ts says which days).
 *
 * Like the referral overdue job it runs from the store's own state: each request's watch says
 * when its next alert is due and is claimed with its ETag in the batch that writes that day's
 * alerts (ids from the request and the school date), so two runners, a restart or a retry never
 * alert twice for one day. The request is read again at each alert, so an extension or a released
 * pack counts at once. Its first run gives requests stored before watches existed theirs
 * (subject-access-watch-backfill.ts).
 */
import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import { alertedOfSubjectAccessDeadline } from "../domain/policy/index.js";
import { calendarOf, shiftDays } from "../domain/school-calendar.js";
import { dateIn } from "../domain/school-clock.js";
import { sarDeadline } from "../domain/subject-access.js";
import { nextSarAlertDay, sarAlertOn, sarAlertTime, type SarAlertKind, type SubjectAccessWatch } from "../domain/subject-access-watch.js";
import { childLogger } from "../logger.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { SubjectAccessStore } from "../ports/subject-access-store.js";
import { outboxMessages } from "./alert-content.js";
import { alertDaysOf } from "./subject-access-requests.js";
import { backfillSubjectAccessWatches } from "./subject-access-watch-backfill.js";
import { WatchJob, type WatchJobDeps } from "./watch-job.js";

const log = childLogger("subject-access-deadline-job");

export interface SubjectAccessDeadlineJobDeps extends WatchJobDeps {
  subjectAccess: SubjectAccessStore;
  schools: SchoolStore;
}

export class SubjectAccessDeadlineJob extends WatchJob<SubjectAccessWatch> {
  private backfilled = false;

  constructor(private readonly deps: SubjectAccessDeadlineJobDeps) {
    super(deps, log);
  }

  /** The first run (and each after it until that succeeds) first gives older requests their watch. */
  override async runOnce(): Promise<{ alerted: number }> {
    if (!this.backfilled)
      this.backfilled = await backfillSubjectAccessWatches(this.deps).then(
        () => true,
        // The due watches are still chased; the backfill is tried again on the next run.
        (e: unknown) => (log.warn({ err: e instanceof Error ? e.name : "unknown" }, "subject access watch backfill failed; will retry"), false),
      );
    return super.runOnce();
  }

  protected due(now: string, limit: number) {
    return this.deps.subjectAccess.dueWatches(now, limit);
  }

  protected async chase(watch: SubjectAccessWatch, now: Date): Promise<boolean> {
    // The watch knows its pupil: the request is read in that pupil's partition, not across pupils.
    const [school, record] = await Promise.all([
      this.deps.schools.getSchool(watch.schoolId),
      this.deps.subjectAccess.get(watch.schoolId, watch.id, watch.pupilId),
    ]);
    if (!school) return false;
    // Released (or gone): nothing more to chase.
    if (!record || record.packs.length) {
      await this.deps.subjectAccess.claimWatch(watch, { ...watch, status: "closed" }, []);
      return false;
    }
    const calendar = calendarOf(school);
    const lead = alertDaysOf(school);
    const today = dateIn(now, school.timeZone);
    const deadline = sarDeadline(record.request.receivedOn, record.extensions.length > 0);
    const next = { ...watch, nextAlertAt: sarAlertTime(nextSarAlertDay(calendar, deadline, shiftDays(today, 1), lead), school.timeZone) };
    const kind = sarAlertOn(calendar, deadline, today, lead);
    // Not an alert day (an extension moved the deadline, or a holiday) or already alerted today: move on, say nothing.
    if (!kind || watch.lastAlertDay === today) {
      await this.deps.subjectAccess.claimWatch(watch, next, []);
      return false;
    }
    const staff = await this.deps.schools.listStaff(watch.schoolId);
    const recipients = staff.filter((s) => alertedOfSubjectAccessDeadline(s, watch.openedBy)).map((s) => s.id);
    const sourceId = `subject-access-due:${watch.id}:${today}`;
    const audit: AuditEvent = {
      id: sourceId,
      schoolId: watch.schoolId,
      pupilId: watch.pupilId,
      type: "subject-access.deadline-alerted",
      actorStaffId: "keepsafe",
      at: now.toISOString(),
      detail: { requestId: watch.id, deadline, kind, day: today, recipients: recipients.length },
      via: "job",
      outcome: "allowed",
    };
    const claimed = await this.deps.subjectAccess.claimWatch(
      watch,
      { ...next, alertsSent: watch.alertsSent + 1, lastAlertDay: today },
      buildSubjectAccessDueMessages(watch, kind, sourceId, recipients, now),
      audit,
    );
    if (claimed)
      log.info({ requestId: watch.id, pupilId: watch.pupilId, kind, day: today, recipients: recipients.length }, "subject access deadline alerted");
    return claimed;
  }
}

const WORDING: Record<SarAlertKind, string> = {
  "due-soon": "is due soon",
  "due-today": "is due today",
  overdue: "is past its deadline",
};

/** That, and when: never the requester, the pupil or any words of the request. */
export function buildSubjectAccessDueMessages(
  watch: SubjectAccessWatch,
  kind: SarAlertKind,
  sourceId: string,
  recipients: string[],
  now: Date,
): OutboxMessage[] {
  const content = {
    subject: `Keepsafe: a subject access request ${WORDING[kind]}`,
    preview: `A subject access request ${WORDING[kind]} and its pack is not yet released. Open Keepsafe to see it.`,
    deepLinkSubEntityId: `pupil:${watch.pupilId}`,
    urgent: false,
  };
  const about = { schoolId: watch.schoolId, pupilId: watch.pupilId, incidentId: watch.id, subjectAccessDue: true as const };
  return outboxMessages(sourceId, about, recipients, content, now);
}
