/**
 * Chases referrals that have had no outcome: on the first school day past a referral's due date,
 * and every school day after until its outcome is recorded, the school's DSLs and deputies get a
 * content-free alert (activity type `referralOverdue`, and an email) through the outbox.
 *
 * It runs inside Keepsafe from the store's own state, never from timers: each referral's watch
 * says when its next alert is due, and is claimed with its ETag in the same batch that writes that
 * day's alerts (ids from the referral and the school date), so two runners, a restart or a retry
 * never alert twice for one day. The timer only decides how often to look.
 */
import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import { chasesOverdueReferrals } from "../domain/policy/index.js";
import { alertTimeAfter, type ReferralWatch } from "../domain/referral-watch.js";
import { dateIn } from "../domain/school-clock.js";
import { calendarOf, isSchoolDay } from "../domain/school-calendar.js";
import { childLogger } from "../logger.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { outboxMessages } from "./alert-content.js";
import { WatchJob, type WatchJobDeps } from "./watch-job.js";

const log = childLogger("referral-overdue-job");

export interface ReferralOverdueJobDeps extends WatchJobDeps {
  caseEntries: CaseEntryStore;
  schools: SchoolStore;
}

export class ReferralOverdueJob extends WatchJob<ReferralWatch> {
  constructor(private readonly deps: ReferralOverdueJobDeps) {
    super(deps, log);
  }

  protected due(now: string, limit: number) {
    return this.deps.caseEntries.dueReferralWatches(now, limit);
  }

  protected async chase(watch: ReferralWatch, now: Date): Promise<boolean> {
    const school = await this.deps.schools.getSchool(watch.schoolId);
    if (!school) return false;
    const today = dateIn(now, school.timeZone);
    const calendar = calendarOf(school);
    const next = { ...watch, nextAlertAt: alertTimeAfter(today, { timeZone: school.timeZone, calendar }) };
    // A weekend or holiday (the job was not running on the last school day) or today already alerted: move on, say nothing.
    if (!isSchoolDay(calendar, today) || watch.lastAlertDay === today) {
      await this.deps.caseEntries.claimReferralWatch(watch, next, []);
      return false;
    }
    const staff = await this.deps.schools.listStaff(watch.schoolId);
    const recipients = staff.filter(chasesOverdueReferrals).map((s) => s.id);
    const sourceId = `referral-overdue:${watch.id}:${today}`;
    const outbox = buildReferralOverdueMessages(watch, sourceId, recipients, now);
    const audit: AuditEvent = {
      id: sourceId,
      schoolId: watch.schoolId,
      pupilId: watch.pupilId,
      type: "referral.overdue-alerted",
      actorStaffId: "keepsafe",
      at: now.toISOString(),
      detail: { referralId: watch.id, dueDate: watch.dueDate, day: today, recipients: recipients.length },
      via: "job",
      outcome: "allowed",
    };
    const claimed = await this.deps.caseEntries.claimReferralWatch(
      watch,
      { ...next, alertsSent: watch.alertsSent + 1, lastAlertDay: today },
      outbox,
      audit,
    );
    if (claimed) log.info({ referralId: watch.id, pupilId: watch.pupilId, day: today, recipients: recipients.length }, "overdue referral alerted");
    return claimed;
  }
}

/** Who and that: never the pupil, the agency or any words of the referral. */
export function buildReferralOverdueMessages(watch: ReferralWatch, sourceId: string, recipients: string[], now: Date): OutboxMessage[] {
  const content = {
    subject: "Keepsafe: a referral is overdue",
    preview: "A referral has had no outcome past its expected response date. Open Keepsafe to see it.",
    deepLinkSubEntityId: `pupil:${watch.pupilId}`,
    urgent: false,
  };
  const about = { schoolId: watch.schoolId, pupilId: watch.pupilId, incidentId: watch.id, referralOverdue: true as const };
  return outboxMessages(sourceId, about, recipients, content, now);
}
