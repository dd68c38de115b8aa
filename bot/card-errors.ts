/**
 * Domain errors as Teams card answers. Teams shows an `application/vnd.microsoft.error` message
 * under the card and leaves the card as it was, so the person's form (and what they typed)
 * survives any failure. The invoke itself is answered with HTTP 200, as Universal Actions expect;
 * the status Teams acts on is the body's statusCode.
 */
import type { ErrorCode } from "../src/domain/errors.js";
import { isKeepsafeError } from "../src/domain/errors.js";
import { UNEXPECTED_FAILURE_MESSAGE } from "./cards/error-card.js";

export interface CardInvokeResponse {
  status: number;
  body: { statusCode: number; type: string; value: unknown };
}

/** Faults the person can act on (sign in, pick something else) are 400; the rest are ours. */
const SERVER_SIDE: ReadonlySet<ErrorCode> = new Set(["store_unavailable", "throttled"]);

export const cardResponse = (value: unknown): CardInvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value },
});

export function errorResponse(statusCode: 400 | 403 | 500, code: string, message: string): CardInvokeResponse {
  return { status: 200, body: { statusCode, type: "application/vnd.microsoft.error", value: { code, message } } };
}

/** Maps any failure to the error answer. Only KeepsafeError messages are shown: they never hold personal data. */
export function errorResponseFor(error: unknown): CardInvokeResponse {
  if (isKeepsafeError(error)) return errorResponse(SERVER_SIDE.has(error.code) ? 500 : 400, error.code, error.message);
  return errorResponse(500, "internal_error", UNEXPECTED_FAILURE_MESSAGE);
}

/** The message shown in chat when the Action.Submit fallback fails for a reason other than the form. */
export const chatMessageFor = (error: unknown) => (isKeepsafeError(error) ? error.message : UNEXPECTED_FAILURE_MESSAGE);
