/**
 * What a DSL changes about a record after it is submitted (domain.md, "After submission"):
 * re-categorising, assigning, closing, reopening and deciding "no further action". The incident
 * document is never edited; each change is its own record, keeping the old value and the reason,
 * and the record's current categories, status and assignee are these changes folded over the
 * incident as submitted. This is the one place that fold happens.
 */
import type { Incident, IncidentStatus, StaffRef } from "./incident.js";

export const CHANGE_KINDS = ["recategorise", "assign", "close", "reopen", "no-further-action"] as const;
export type IncidentChangeKind = (typeof CHANGE_KINDS)[number];

/** A record is assigned to a person or to one of the school's alert groups. */
export interface Assignee {
  kind: "staff" | "group";
  id: string;
}

/** The parts of a record a change can move; a change keeps them as they were and as they became. */
export interface IncidentState {
  categoryIds: string[];
  status: IncidentStatus;
  assignee?: Assignee;
  /** Set by "no further action": what was decided and why (KCSIE asks for the reasoning). */
  noFurtherAction?: { decision: string };
}

export interface IncidentChange {
  id: string;
  incidentId: string;
  /** The partition of the incident (its subject pupil). */
  pupilId: string;
  schoolId: string;
  /** 1 for the first change: the version a reader saw is the number of changes they saw. */
  sequence: number;
  kind: IncidentChangeKind;
  /** Why: asked of every change. For "no further action", the rationale. */
  reason: string;
  at: string;
  by: StaffRef;
  before: IncidentState;
  after: IncidentState;
}

/** The change id follows from the incident and the version it was made on, so two writers on one version collide. */
export const changeIdFor = (incidentId: string, sequence: number) => `${incidentId}:${sequence}`;

export const submittedState = (incident: Incident): IncidentState => ({
  categoryIds: [...incident.categoryIds],
  status: incident.status,
  ...(incident.assignedToStaffId ? { assignee: { kind: "staff" as const, id: incident.assignedToStaffId } } : {}),
});

/** Changes in the order they were made (by sequence, whatever order the store returned). */
const inOrder = (changes: readonly IncidentChange[]) => [...changes].sort((a, b) => a.sequence - b.sequence);

/** The record as it stands now: the latest change's `after`, or the form's values. */
export function currentState(incident: Incident, changes: readonly IncidentChange[]): IncidentState {
  const ordered = inOrder(changes);
  return ordered.length ? ordered[ordered.length - 1].after : submittedState(incident);
}

/** The incident with its current categories, status and assignee, for everything that decides access or shows them. */
export function withCurrentState(incident: Incident, changes: readonly IncidentChange[]): Incident {
  if (!changes.length) return incident;
  const now = currentState(incident, changes);
  const { assignedToStaffId: _formAssignee, ...rest } = incident;
  return {
    ...rest,
    categoryIds: now.categoryIds,
    status: now.status,
    ...(now.assignee?.kind === "staff" ? { assignedToStaffId: now.assignee.id } : {}),
  };
}

/** What a requested change makes of the current state. */
export type ChangeRequest =
  | { kind: "recategorise"; categoryIds: string[] }
  | { kind: "assign"; assignee: Assignee }
  | { kind: "close" }
  | { kind: "reopen" }
  | { kind: "no-further-action"; decision: string };

export function applyChange(state: IncidentState, request: ChangeRequest): IncidentState {
  switch (request.kind) {
    case "recategorise":
      return { ...state, categoryIds: [...new Set(request.categoryIds)] };
    case "assign":
      return { ...state, assignee: request.assignee };
    case "close":
      return { ...state, status: "closed" };
    case "reopen": {
      // Reopening undoes a "no further action" decision too: the record is being worked again.
      const { noFurtherAction: _nfa, ...rest } = state;
      return { ...rest, status: "active" };
    }
    case "no-further-action":
      return { ...state, status: "closed", noFurtherAction: { decision: request.decision } };
  }
}

/** Why a change would do nothing, or undefined when it changes something. */
export function pointlessChange(state: IncidentState, request: ChangeRequest): string | undefined {
  if (request.kind === "close" && state.status === "closed") return "The record is already closed.";
  if (request.kind === "reopen" && state.status === "active") return "The record is already open.";
  if (request.kind === "assign" && state.assignee?.kind === request.assignee.kind && state.assignee.id === request.assignee.id)
    return "The record is already assigned there.";
  if (request.kind === "recategorise") {
    const next = [...new Set(request.categoryIds)].sort().join(",");
    if (next === [...state.categoryIds].sort().join(",")) return "The record already has those categories.";
  }
  return undefined;
}

/** A chronology row's categories and status as they stand now (rows carry the form's copy). */
export function entryWithCurrentState<T extends { categoryIds: string[]; status: IncidentStatus }>(entry: T, changes: readonly IncidentChange[]): T {
  if (!changes.length) return entry;
  const last = inOrder(changes)[changes.length - 1].after;
  return { ...entry, categoryIds: last.categoryIds, status: last.status };
}
