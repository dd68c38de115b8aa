/**
 * Subject access requests: the safeguarding team opens, extends, redacts and releases them (the
 * pack leaves the school, so it is an export). Through the one door, so the MFA rule holds.
 */
import type { Actor } from "../actor.js";
import { authorize } from "./authorize.js";

export const assertCanHandleSubjectAccess = (actor: Actor) => authorize(actor, "run", { kind: "export" });
