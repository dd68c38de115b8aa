/**
 * A role-level refusal ("only the safeguarding team can ...") or an alert card answered by someone
 * not alerted is an attempt the DSL must be able to see, like a refused record: run the policy's check, and if it refuses, audit the refusal as
 * access.refused before the answer goes back, then answer as the policy said.
 */
import type { Actor } from "../domain/actor.js";
import { isKeepsafeError } from "../domain/errors.js";
import { auditRefusal, type IncidentAccessDeps, type RefusedRequest } from "./incident-access.js";

export async function auditedRefusal(
  deps: Pick<IncidentAccessDeps, "records" | "clock">,
  actor: Actor,
  about: { pupilId?: string; incidentId?: string },
  request: RefusedRequest,
  check: () => void,
): Promise<void> {
  try {
    check();
  } catch (e) {
    if (isKeepsafeError(e) && (e.code === "forbidden" || e.code === "not_found")) await auditRefusal(deps, actor, about, request);
    throw e;
  }
}
