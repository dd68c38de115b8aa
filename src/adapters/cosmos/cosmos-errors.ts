import { isKeepsafeError, StoreUnavailableError } from "../../domain/errors.js";
import { childLogger } from "../../logger.js";

const log = childLogger("cosmos-store");

const UNAVAILABLE_STATUS = new Set([408, 429, 449, 502, 503, 504]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** Errors that lost their status (or never had one) are read by their message: Cosmos DB's own words included. */
const UNAVAILABLE_MESSAGE =
  /Request rate is large|TooManyRequests|\b429\b|ServiceUnavailable|Service is currently unavailable|\b503\b|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|timed? ?out|socket hang up|operation was aborted|Retry to avoid conflicts/i;
/**
 * A batch that failed as a whole lost its status (cosmos-batch.ts BatchRequestError). Only a
 * request Cosmos DB would refuse however often it is sent is left unmapped; anything else (an
 * outage, throttling, a lost answer) means the atomic batch stored nothing or its answer was
 * lost, and sending the same form again is safe (the retry meets 409 and answers with what stored).
 */
const BATCH_REFUSED_MESSAGE = /Bad ?Request|Request ?Entity ?Too ?Large|Unauthorized|Forbidden|NotFound|does not exist|\b40[0134]\b|\b413\b/i;

interface SdkError {
  code?: number | string;
  statusCode?: number;
  name?: string;
  message?: string;
  retryAfterInMs?: number;
  retryAfterInMilliseconds?: number;
  cause?: unknown;
}

export const statusOf = (e: unknown): number | undefined => {
  const err = e as SdkError | undefined;
  if (typeof err?.code === "number") return err.code;
  if (typeof err?.statusCode === "number") return err.statusCode;
  return undefined;
};

/** An outage or a lost answer (429 after the SDK's retries, 5xx, timeout, dropped connection). */
export function isUnavailable(e: unknown, depth = 0): boolean {
  const err = e as SdkError | undefined;
  if (!err || depth > 3) return false;
  const status = statusOf(err);
  if (status !== undefined && UNAVAILABLE_STATUS.has(status)) return true;
  if (typeof err.code === "string" && NETWORK_CODES.has(err.code)) return true;
  if (err.name === "TimeoutError" || err.name === "AbortError") return true;
  if (err.name === "BatchRequestError") return !BATCH_REFUSED_MESSAGE.test(err.message ?? "");
  if (typeof err.message === "string" && UNAVAILABLE_MESSAGE.test(err.message)) return true;
  return isUnavailable(err.cause, depth + 1);
}

/**
 * Turns a final outage (429 after the SDK's own retries, 503, timeout, refused connection) into
 * StoreUnavailableError with the server's retry advice; anything else is rethrown unchanged.
 */
export function mapStoreError(e: unknown, operation: string): never {
  if (isKeepsafeError(e)) throw e;
  if (isUnavailable(e)) {
    const err = e as SdkError;
    const ms = err.retryAfterInMs ?? err.retryAfterInMilliseconds;
    log.warn({ operation, status: statusOf(e), code: err.code }, "record store unavailable");
    throw StoreUnavailableError(ms !== undefined ? Math.max(1, Math.ceil(ms / 1000)) : undefined);
  }
  throw e;
}

/** Runs a store call, mapping outages to StoreUnavailableError. */
export async function guarded<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    mapStoreError(e, operation);
  }
}
