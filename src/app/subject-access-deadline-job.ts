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
 * pack counts at once.
 */
import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import { alertedOfSubjectAccessDeadline } from "../domain/policy/index.js";
import { calendarOf, shiftDays } from "../domain/school-calendar.js";
import { dateIn } from "../domain/school-clock.js";
import { sarDeadline } from "../domain/subject-access.js";
import { nextSarAlertDay, sarAlertOn, sarAlertTime, type SarAlertKind, type SubjectAccessWatch } from "../domain/subject-access-watch.js";
import { childLogger } from "../logger.js";
import type { Clock } from "../ports/clock.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { SubjectAccessStore } from "../ports/subject-access-store.js";
import { outboxMessages } from "./alert-content.js";
import { alertDaysOf } from "./subject-access-requests.js";

const log = childLogger("subject-access-deadline-job");

export interface SubjectAccessDeadlineJobDeps {
  subjectAccess: SubjectAccessStore;
  schools: SchoolStore;
  clock: Clock;
  /** Called after alerts are written, so the alert dispatcher sends them at once. */
  onAlerted?: () => void;
  batchSize?: number;
}

/** How often the job looks; alerts are due at the start of a school day, so once a minute is plenty. */
export const SAR_CHECK_INTERVAL_MS = 60_000;

export class SubjectAccessDeadlineJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly deps: SubjectAccessDeadlineJobDeps) {}

  /** One look at the due watches; the number of requests alerted about. */
  async runOnce(): Promise<{ alerted: number }> {
    const now = this.deps.clock.now();
    const due = await this.deps.subjectAccess.dueWatches(now.toISOString(), this.deps.batchSize ?? 50);
    let alerted = 0;
    for (const watch of due) {
      try {
        if (await this.chase(watch, now)) alerted++;
      } catch (e) {
        // One request's failure must not stop the others; its watch is still due next time.
        log.warn({ requestId: watch.id, err: e instanceof Error ? e.name : "unknown" }, "subject access deadline check failed");
      }
    }
    if (alerted) this.deps.onAlerted?.();
    return { alerted };
  }

  private async chase(watch: SubjectAccessWatch, now: Date): Promise<boolean> {
    const [school, record] = await Promise.all([this.deps.schools.getSchool(watch.schoolId), this.deps.subjectAccess.get(watch.schoolId, watch.id)]);
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

  start(intervalMs = SAR_CHECK_INTERVAL_MS): void {
    this.stop();
    const tick = () => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((e: unknown) => log.warn({ err: e instanceof Error ? e.name : "unknown" }, "subject access deadline run failed; will retry"))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
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
