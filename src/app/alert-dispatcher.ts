/**
 * Drains the alert outbox. Incidents write their outbox messages in the same transaction as the
 * record, so an alert exists even when Graph is down; this dispatcher turns each into a Teams
 * notification or an email, at least once and, in normal operation, exactly once:
 * - each message is claimed with optimistic concurrency and a lease before sending, so two
 *   dispatchers never both send it and a crashed dispatcher's claim simply expires;
 * - a transient failure (outage, 429, 5xx) puts it back with a later nextAttemptAt, honouring
 *   Retry-After; after maxAttempts, or on a permanent refusal, it is marked "failed" and logged.
 * Logs carry ids only: the content names a member of staff and is not needed to diagnose anything.
 */
import { randomUUID } from "node:crypto";
import type { KeepsafeError } from "../domain/errors.js";
import type { OutboxMessage } from "../domain/incident.js";
import { childLogger } from "../logger.js";
import type { Clock } from "../ports/clock.js";
import { TransientNotifyError, type ActivityNotification, type Notifier } from "../ports/notifier.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { AlertCardSender } from "../ports/alert-cards.js";
import { buildAlertEmailHtml, buildDeepLink, categoryLabelOf } from "./alert-content.js";
import { isStoreUnavailable, retryWhileStoreUnavailable } from "./store-retry.js";

export interface AlertDispatcherDeps {
  records: RecordStore;
  schools: SchoolStore;
  notifier: Notifier;
  clock: Clock;
  teamsAppId: string;
  alertsMailbox: string;
  tabEntityId?: string;
  /** Sends before a message is marked failed. Default 12 (about three hours with the default backoff). */
  maxAttempts?: number;
  /** How long a claim holds; must exceed the notifier's own timeout. Default 60 s. */
  leaseMs?: number;
  /** First retry delay, doubled each attempt up to maxBackoffMs. Defaults 30 s and 1 h. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
  /** Messages sent at the same time within a batch. Default 4. */
  concurrency?: number;
  /** Sends the alert card into the recipient's Teams chat once their activity-feed alert has gone. */
  alertCards?: AlertCardSender;
  /**
   * Asked of each claimed message just before it is sent: false marks it cancelled instead (a task
   * done before it became overdue). The store's state decides, so a restart changes nothing.
   */
  stillWanted?: (message: OutboxMessage) => Promise<boolean>;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

type Outcome = keyof DispatchResult | "skipped";

const log = childLogger("alert-dispatcher");

/** Sends in flight at once per dispatcher: the most a kill -9 can leave sent but not marked sent. */
export const DEFAULT_DISPATCH_CONCURRENCY = 4;

/** A reason that is safe to store and log: an error class and status, never a payload. */
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : "unknown error").slice(0, 200);

export class AlertDispatcher {
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = true;
  private intervalMs = 0;
  private alertCards: AlertCardSender | undefined;
  private readonly cardsInFlight = new Set<Promise<void>>();
  /** Until when Graph asked us to wait (epoch ms); see throttled(). */
  private pausedUntil = 0;

  constructor(private readonly deps: AlertDispatcherDeps) {
    this.maxAttempts = deps.maxAttempts ?? 12;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.baseBackoffMs = deps.baseBackoffMs ?? 30_000;
    this.maxBackoffMs = deps.maxBackoffMs ?? 60 * 60_000;
    this.batchSize = deps.batchSize ?? 50;
    this.concurrency = deps.concurrency ?? DEFAULT_DISPATCH_CONCURRENCY;
    this.alertCards = deps.alertCards;
  }

  /** The bot is built after the dispatcher (it needs the service), so its card sender arrives late. */
  useAlertCards(sender: AlertCardSender | undefined): void {
    this.alertCards = sender;
  }

  /** Sends one batch of due messages. Safe to call while another dispatcher runs. */
  async runOnce(): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
    // While Graph has asked us to wait, not even the store is asked what is due.
    if (this.throttled()) return result;
    const due = await this.deps.records.dueOutbox(this.deps.clock.now().toISOString(), this.batchSize);
    let next = 0;
    const worker = async () => {
      while (next < due.length && !this.throttled()) {
        const outcome = await this.dispatch(due[next++]);
        if (outcome !== "skipped") result[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.length) }, worker));
    if (due.length) log.info({ due: due.length, ...result }, "outbox batch dispatched");
    return result;
  }

  /** Runs every intervalMs (never overlapping) until stop(). */
  start(intervalMs: number): void {
    this.stopped = false;
    this.intervalMs = intervalMs;
    this.schedule(0);
  }

  /** Asks for a run now, e.g. just after an incident was recorded; coalesces with a run in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await Promise.all([...this.cardsInFlight]);
  }

  private schedule(delayMs: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.rerun ? 0 : this.intervalMs);
        this.rerun = false;
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    try {
      // A full batch means more may be waiting: keep draining rather than waiting a whole interval.
      for (;;) {
        const r = await this.runOnce();
        if (this.stopped || r.sent + r.retried + r.failed < this.batchSize) break;
      }
    } catch (e) {
      // The store being down is not fatal: the messages are still there for the next run.
      log.warn({ err: describe(e) }, "outbox run failed; will retry on the next interval");
    }
  }

  private async dispatch(message: OutboxMessage): Promise<Outcome> {
    const now = this.deps.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
    const claimed = await this.deps.records.claimOutbox(message, leaseUntil, randomUUID()).catch((e: unknown) => {
      log.warn({ messageId: message.id, err: describe(e) }, "outbox claim failed");
      return undefined;
    });
    if (!claimed) return "skipped";
    const attempts = claimed.attempts + 1;
    try {
      if (this.deps.stillWanted && !(await this.deps.stillWanted(claimed))) {
        await this.save({ ...claimed, status: "cancelled", lastError: undefined });
        return "skipped";
      }
      await this.send(claimed);
      await this.save({ ...claimed, status: "sent", attempts, sentAt: this.deps.clock.now().toISOString(), lastError: undefined });
      if (
        claimed.channel === "activity-feed" &&
        !claimed.actionId &&
        !claimed.changeId &&
        !claimed.reminder &&
        !claimed.readByTeam &&
        !claimed.referralOverdue &&
        !claimed.subjectAccessDue
      )
        this.sendAlertCard(claimed);
      return "sent";
    } catch (e) {
      const lastError = describe(e);
      if (e instanceof TransientNotifyError && e.retryAfterSeconds) this.pauseFor(e.retryAfterSeconds * 1000);
      // The store failing while the recipient is looked up is as passing as Graph failing; before
      // this, a busy store marked the alert "failed" for good (the soak's missing alerts).
      const transient = e instanceof TransientNotifyError || isStoreUnavailable(e);
      if (transient && attempts < this.maxAttempts) {
        const retryAfterSeconds = (e as TransientNotifyError | KeepsafeError).retryAfterSeconds ?? 0;
        const delayMs = Math.max(retryAfterSeconds * 1000, this.backoffMs(attempts));
        const nextAttemptAt = new Date(this.deps.clock.now().getTime() + delayMs).toISOString();
        await this.save({ ...claimed, status: "pending", attempts, nextAttemptAt, lastError });
        log.info({ messageId: claimed.id, attempts, delayMs }, "alert send deferred");
        return "retried";
      }
      await this.save({ ...claimed, status: "failed", attempts, lastError });
      log.error(
        {
          messageId: claimed.id,
          incidentId: claimed.incidentId,
          recipientStaffId: claimed.recipientStaffId,
          channel: claimed.channel,
          attempts,
          err: lastError,
        },
        "alert could not be sent; a person must follow it up",
      );
      return "failed";
    }
  }

  /**
   * Best effort and not awaited by the batch: a slow or failing chat send never holds up or
   * repeats the alert itself, which has already gone by notification and email.
   */
  private sendAlertCard(m: OutboxMessage): void {
    const sender = this.alertCards;
    if (!sender) return;
    const sending = sender
      .sendAlertCard({ schoolId: m.schoolId, incidentId: m.incidentId, recipientStaffId: m.recipientStaffId })
      .then((outcome) => {
        if (outcome === "no-conversation")
          log.info({ incidentId: m.incidentId, recipientStaffId: m.recipientStaffId }, "no chat with the bot yet; alert card skipped");
      })
      .catch((e: unknown) => log.warn({ incidentId: m.incidentId, recipientStaffId: m.recipientStaffId, err: describe(e) }, "alert card not sent"))
      .finally(() => this.cardsInFlight.delete(sending));
    this.cardsInFlight.add(sending);
  }

  /**
   * Back-pressure. Graph's throttling is per app, so a 429 (or a 503) with Retry-After means every
   * send should wait, not only the refused one: sending the rest of the batch would be refused too,
   * spend store requests on claims and saves, and lengthen the throttling. Until the time has
   * passed, runs send nothing and skip the due query; the messages keep their place in the outbox.
   */
  private pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.deps.clock.now().getTime() + ms);
    log.info({ pauseMs: ms }, "Graph asked to wait; the outbox pauses");
  }

  private throttled(): boolean {
    return this.deps.clock.now().getTime() < this.pausedUntil;
  }

  private backoffMs(attempts: number): number {
    return Math.min(this.baseBackoffMs * 2 ** (attempts - 1), this.maxBackoffMs);
  }

  /**
   * Retried while the store is briefly unavailable: a "sent" that is not saved would be sent again
   * when the lease ends (the soak saw that). If it still fails, a rare duplicate beats a lost alert.
   */
  private async save(message: OutboxMessage): Promise<void> {
    try {
      await retryWhileStoreUnavailable(() => this.deps.records.saveOutbox(message));
    } catch (e) {
      log.error({ messageId: message.id, status: message.status, err: describe(e) }, "outbox state could not be saved");
    }
  }

  private async send(m: OutboxMessage): Promise<void> {
    const staff = await this.deps.schools.getStaff(m.schoolId, m.recipientStaffId);
    if (!staff || !staff.active) throw new RecipientUnavailableError(staff ? "inactive" : "unknown");
    const webUrl = buildDeepLink(this.deps.teamsAppId, this.deps.tabEntityId || "keepsafe", m.content.deepLinkSubEntityId);
    if (m.channel === "activity-feed") {
      await this.deps.notifier.sendActivityNotification({
        recipientStaffId: m.recipientStaffId,
        activityType: activityTypeOf(m),
        previewText: m.content.preview,
        webUrl,
        templateParameters: [{ name: "category", value: categoryLabelOf(m.content) }],
        idempotencyKey: m.id,
      });
      return;
    }
    await this.deps.notifier.sendMail({
      fromMailbox: this.deps.alertsMailbox,
      toAddress: staff.email,
      subject: m.content.subject,
      bodyHtml: buildAlertEmailHtml(m.content, webUrl),
      idempotencyKey: m.id,
    });
  }
}

/** The recipient left or was never on the staff list: retrying will not help. */
export class RecipientUnavailableError extends Error {
  constructor(readonly reason: "unknown" | "inactive") {
    super(`recipient ${reason}`);
    this.name = "RecipientUnavailableError";
  }
}

/** Each kind of alert has its own activity type, declared in the app manifest. */
function activityTypeOf(m: OutboxMessage): ActivityNotification["activityType"] {
  if (m.task) return m.task === "overdue" ? "taskOverdue" : "taskAssigned";
  if (m.reminder) return "plannerReminder";
  if (m.readByTeam) return "concernRead";
  if (m.referralOverdue) return "referralOverdue";
  if (m.subjectAccessDue) return "subjectAccessDue";
  if (m.earlyWarning) return "earlyWarning";
  if (m.assignment) return m.assignment === "reassigned" ? "recordReassigned" : "recordAssigned";
  if (m.actionId) return "actionAdded";
  return m.content.urgent ? "urgentConcernRaised" : "concernRaised";
}
