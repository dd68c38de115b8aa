/**
 * Typed domain errors with stable codes. They are mapped to HTTP statuses and card
 * messages only at the edge (src/api/http-errors.ts, bot/card-errors.ts).
 * Messages never contain pupil names or incident text: they may be logged.
 */
export type ErrorCode =
  | "validation_failed"
  | "not_found"
  | "forbidden"
  | "unauthenticated"
  | "mfa_required"
  | "conflict"
  | "immutable_record"
  | "store_unavailable"
  | "throttled"
  | "payload_too_large"
  | "unsupported_file_type";

export interface FieldProblem {
  /** The form field, as named on the card and in the API (e.g. "pupilId", "account"). */
  field: string;
  message: string;
}

export class KeepsafeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
    /** Non-personal facts the sender can act on (ids, kinds, times), e.g. what changed before a 409. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "KeepsafeError";
  }
}

export const ValidationError = (fields: FieldProblem[], message = "Some fields need attention.") =>
  new KeepsafeError("validation_failed", message, fields);
export const NotFoundError = (what: string) => new KeepsafeError("not_found", `${what} was not found.`);
export const ForbiddenError = (message = "You do not have access to this.") => new KeepsafeError("forbidden", message);
export const UnauthenticatedError = (message = "Sign-in is required.") => new KeepsafeError("unauthenticated", message);
export const MfaRequiredError = () => new KeepsafeError("mfa_required", "This record needs a second sign-in factor (MFA) before it can be shown.");
export const ImmutableRecordError = () =>
  new KeepsafeError("immutable_record", "Submitted incidents cannot be edited. Add an action to correct or follow up.");
/**
 * What a read is told instead, at the edge (api/http-errors.ts): "Nothing was saved" is the truth
 * for a write the store refused, and only alarms a DSL who was opening a chronology.
 */
export const STORE_BUSY_READING = "The record store is busy or unavailable, so this could not be shown. Please try again in a moment.";
export const StoreUnavailableError = (retryAfterSeconds?: number) =>
  new KeepsafeError("store_unavailable", "The record store is busy or unavailable. Nothing was saved; please try again.", [], retryAfterSeconds);
/**
 * The store took a concern but its answer was lost, and reading it back failed too: it may or may
 * not be stored. Never "Nothing was saved" here; the submission marker makes a second send safe.
 */
export const SaveOutcomeUnknownError = () =>
  new KeepsafeError(
    "store_unavailable",
    "Keepsafe cannot tell yet whether this concern was saved: the record store did not answer. Sending the form again is safe; it will not be recorded twice.",
    [],
    undefined,
    { saved: "unknown" },
  );
export const ConflictError = (message: string, detail?: Record<string, unknown>) => new KeepsafeError("conflict", message, [], undefined, detail);

export const isKeepsafeError = (e: unknown): e is KeepsafeError => e instanceof KeepsafeError;
