import { pino } from "pino";

/**
 * Structured logs only. Never pass pupil names, dates of birth or incident text: log ids, codes and counts.
 * LOG_LEVEL=silent in tests keeps the output readable.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "keepsafe" },
  redact: { paths: ["*.account", "*.forename", "*.surname", "*.text", "authorization", "*.authorization"], censor: "[redacted]" },
});

export const childLogger = (component: string) => logger.child({ component });
