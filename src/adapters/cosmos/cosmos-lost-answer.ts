/**
 * A transactional batch whose answer never arrived (the connection dropped after the request was
 * sent, or it timed out) may have been stored in full: the batch is atomic, so it is all there or
 * none of it is. Telling the teacher "Nothing was saved" then is untrue as often as not (the soak's
 * lost-answer case: a second send found the record). So before answering, the incident is read
 * back in its pupil's partition: there, the submit succeeded; not there, nothing was saved; and if
 * that read fails too, the answer says plainly that Keepsafe cannot tell yet (SaveOutcomeUnknown).
 */
import type { Container } from "@azure/cosmos";
import { SaveOutcomeUnknownError } from "../../domain/errors.js";
import type { Incident } from "../../domain/incident.js";
import { childLogger } from "../../logger.js";
import { pointRead } from "./cosmos-batch.js";
import { isUnavailable, statusOf } from "./cosmos-errors.js";
import { fromIncidentDoc } from "./record-docs.js";

const log = childLogger("cosmos-store");

/** Cosmos DB refused the request as a whole (throttled, unavailable) and so applied none of it. */
const REFUSED_STATUS = new Set([429, 449, 503]);
const REFUSED_MESSAGE = /Request rate is large|TooManyRequests|\b429\b|ServiceUnavailable|Service is currently unavailable|\b503\b/i;
/** The connection was never made, so the request never left. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const NOT_SENT_MESSAGE = /ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/;

/**
 * True when a failed write may nonetheless have been applied: an outage (isUnavailable) that was
 * neither the store's own refusal nor a connection never made. A dropped connection, a reset, a
 * timeout (408 included) or an abort after sending all count: the store may have acted.
 */
export function mayHaveLanded(e: unknown): boolean {
  if (!isUnavailable(e)) return false;
  const status = statusOf(e);
  if (status !== undefined && REFUSED_STATUS.has(status)) return false;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && NOT_SENT_CODES.has(code)) return false;
  const text = typeof message === "string" ? message : "";
  return !REFUSED_MESSAGE.test(text) && !NOT_SENT_MESSAGE.test(text);
}

/**
 * The SDK retries a read itself on a dropped connection (about 10 s of tries against a store that
 * keeps dropping), longer than a teacher should wait for a card's answer; a second send is safe
 * anyway (the marker), so the read-back gets a short budget and then answers "cannot tell yet".
 */
const READ_BACK_BUDGET_MS = 3_000;

/**
 * After a batch that may have landed: the incident as stored, or undefined when it is not there.
 * Throws SaveOutcomeUnknownError when the store cannot be read either.
 */
export async function readBackIncident(records: Container, incident: Incident): Promise<Incident | undefined> {
  try {
    const doc = await pointRead(records, incident.id, incident.pupilId, { abortSignal: AbortSignal.timeout(READ_BACK_BUDGET_MS) });
    log.info({ event: "batch.answer-lost", incidentId: incident.id, landed: !!doc }, "incident batch answer lost; read back");
    return doc ? fromIncidentDoc(doc) : undefined;
  } catch (e) {
    log.warn({ event: "batch.outcome-unknown", incidentId: incident.id, status: statusOf(e) }, "incident batch answer lost and read back failed");
    throw SaveOutcomeUnknownError();
  }
}
