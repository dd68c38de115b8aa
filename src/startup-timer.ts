/** Milliseconds per named phase of start-up, so `npm start` can say where its time went. */
export interface PhaseTimer {
  readonly ms: Record<string, number>;
  timed<T>(phase: string, work: () => Promise<T>): Promise<T>;
}

export function phaseTimer(initial: Record<string, number> = {}): PhaseTimer {
  const ms: Record<string, number> = Object.assign(Object.create(null), initial);
  return {
    ms,
    async timed(phase, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        ms[phase] = Math.round(performance.now() - started);
      }
    },
  };
}
