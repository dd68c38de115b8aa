/** Maps typed domain errors to HTTP answers, at the edge only. Unknown errors never leak detail. */
import type { KeepsafeError, ErrorCode } from "../domain/errors.js";
import { isKeepsafeError, STORE_BUSY_READING } from "../domain/errors.js";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  mfa_required: 401,
  conflict: 409,
  immutable_record: 409,
  store_unavailable: 503,
  throttled: 429,
  payload_too_large: 413,
  unsupported_file_type: 415,
};

export interface HttpErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; fields?: { field: string; message: string }[]; detail?: Record<string, unknown> } };
}

export function toHttpError(err: unknown, mfaChallenge?: () => string, request: { reading?: boolean } = {}): HttpErrorAnswer {
  if (!isKeepsafeError(err)) {
    return {
      status: 500,
      headers: {},
      body: { error: { code: "internal_error", message: "Something went wrong. Nothing you entered was lost; please try again." } },
    };
  }
  const e = err as KeepsafeError;
  const headers: Record<string, string> = {};
  if (e.code === "mfa_required" && mfaChallenge) headers["WWW-Authenticate"] = mfaChallenge();
  else if (e.code === "unauthenticated") headers["WWW-Authenticate"] = 'Bearer realm="keepsafe", error="invalid_token"';
  if (e.retryAfterSeconds !== undefined) headers["Retry-After"] = String(Math.ceil(e.retryAfterSeconds));
  // A read that found the store busy changed nothing, so it is not told "Nothing was saved".
  const message = e.code === "store_unavailable" && request.reading && e.detail === undefined ? STORE_BUSY_READING : e.message;
  return {
    status: STATUS[e.code],
    headers,
    body: {
      error: { code: e.code, message, ...(e.fields.length ? { fields: e.fields } : {}), ...(e.detail ? { detail: e.detail } : {}) },
    },
  };
}
