/**
 * What the store-driven alert jobs share (referral-overdue-job.ts, subject-access-deadline-job.ts):
 * each looks at the watches due by now, chases each on its own (one failure never stops the
 * others; its watch is still due next time), kicks the dispatcher when it wrote alerts, and is run
 * by a timer that only decides how often to look. The store's watches, claimed by ETag, are the
 * source of truth, so a restart or a second runner never alerts twice.
 */
import type { childLogger } from "../logger.js";
import type { Clock } from "../ports/clock.js";
import { RepeatingRun } from "./repeating-run.js";

/** Alerts are due at the start of a school day, so looking once a minute is plenty. */
type Logger = ReturnType<typeof childLogger>;

export const WATCH_CHECK_INTERVAL_MS = 60_000;

export interface WatchJobDeps {
  clock: Clock;
  /** Called after alerts are written, so the alert dispatcher sends them at once. */
  onAlerted?: () => void;
  batchSize?: number;
}

export abstract class WatchJob<W extends { id: string }> {
  private readonly repeat = new RepeatingRun(
    () => this.runOnce(),
    (e) => this.log.warn({ err: e instanceof Error ? e.name : "unknown" }, "watch run failed; will retry"),
  );

  constructor(
    private readonly job: WatchJobDeps,
    private readonly log: Logger,
  ) {}

  /** The open watches whose next alert is due by `now` (ISO). */
  protected abstract due(now: string, limit: number): Promise<W[]>;
  /** Alerts about one watch if today calls for it; true when it wrote alerts. */
  protected abstract chase(watch: W, now: Date): Promise<boolean>;

  /** One look at the due watches; the number alerted about. */
  async runOnce(): Promise<{ alerted: number }> {
    const now = this.job.clock.now();
    const due = await this.due(now.toISOString(), this.job.batchSize ?? 50);
    let alerted = 0;
    for (const watch of due) {
      try {
        if (await this.chase(watch, now)) alerted++;
      } catch (e) {
        this.log.warn({ watchId: watch.id, err: e instanceof Error ? e.name : "unknown" }, "watch check failed");
      }
    }
    if (alerted) this.job.onAlerted?.();
    return { alerted };
  }

  start(intervalMs = WATCH_CHECK_INTERVAL_MS): void {
    this.repeat.start(intervalMs, { atOnce: false });
  }

  stop(): Promise<void> {
    return this.repeat.stop();
  }
}
