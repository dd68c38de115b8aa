/**
 * A job's timer: it only decides how often to look. The store's state (leases, watches, claims)
 * says what is due, so a restart or a second instance never acts twice; this keeps one process
 * from starting a run while its last is still going, and lets `stop` wait for that run to end.
 */
export class RepeatingRun {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  /** `onError` logs a failed run (ids and codes only); the next tick tries again. */
  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Every `intervalMs`, and once at once when `atOnce`; a timer that never holds the process open. */
  start(intervalMs: number, { atOnce }: { atOnce: boolean }): void {
    this.clear();
    const tick = () => {
      if (this.running) return;
      this.running = this.run()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    };
    if (atOnce) tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** No more ticks; resolves when a run already going has ended. */
  async stop(): Promise<void> {
    this.clear();
    await this.running;
  }

  private clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
