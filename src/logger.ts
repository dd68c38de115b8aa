import { pino, type DestinationStream } from "pino";
import { prettyFactory } from "pino-pretty";

/**
 * Structured logs only. Never pass pupil names, dates of birth or incident text: log ids, codes and counts.
 * LOG_LEVEL=silent in tests keeps the output readable.
 *
 * Two formats of the same lines: JSON (one object a line, for Application Insights) in production,
 * and human lines (pino-pretty) on a developer's machine. LOG_FORMAT=json|pretty chooses outright.
 * The logger exists before the configuration is read, so it starts from LOG_FORMAT (human lines when
 * unset) and main.ts settles it with `useLogFormat` once it knows whether this is production.
 */
export type LogFormat = "json" | "pretty";

const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

/** LOG_FORMAT when it names a format, else JSON in production and human lines elsewhere. */
export function logFormatFor(requested: string | undefined, production: boolean): LogFormat {
  const chosen = LOG_FORMATS.find((f) => f === requested?.trim().toLowerCase());
  return chosen ?? (production ? "json" : "pretty");
}

// Both write synchronously, as pino's own default does, so a line logged just before exit is kept.
const stdout = pino.destination({ dest: 1, sync: true });
const prettify = prettyFactory({
  translateTime: "SYS:HH:MM:ss.l",
  ignore: "pid,hostname,service,component",
  messageFormat: "{if component}{component}: {end}{msg}",
  singleLine: true,
});
const formats: Record<LogFormat, DestinationStream> = {
  json: stdout,
  pretty: { write: (line: string) => stdout.write(prettify(line)) },
};

let current: LogFormat = logFormatFor(process.env.LOG_FORMAT, false);
const destination: DestinationStream = { write: (line: string) => formats[current].write(line) };

/** Switches every logger (children included) to `format` for the lines that follow. */
export function useLogFormat(format: LogFormat) {
  current = format;
}

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "keepsafe" },
    redact: { paths: ["*.account", "*.forename", "*.surname", "*.text", "authorization", "*.authorization"], censor: "[redacted]" },
  },
  destination,
);

export const childLogger = (component: string) => logger.child({ component });
