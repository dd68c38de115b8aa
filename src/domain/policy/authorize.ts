/**
 * One door: every use case asks `authorize(actor, verb, resource)` (throws the refusal the edge
 * maps to an answer) or `can(...)` (filters a list). The tables below read as the school's
 * policy reads: for each resource, each verb, who may.
 *
 * Refusals: a record the actor may not see is NotFoundError("The record"), the same as a
 * missing one; a role that needs a second factor without one is MfaRequiredError; a role-level
 * refusal (the verb is not for your role at all) is ForbiddenError.
 */
import type { Actor } from "../actor.js";
import type { Category } from "../categories.js";
import type { IncidentAction } from "../incident.js";
import { ForbiddenError, MfaRequiredError } from "../errors.js";
import { canViewAction } from "./action.js";
import { canBrowseChronology } from "./chronology.js";
import { canAllocateCategory, canNoteWhoWroteScan } from "./form.js";
import {
  canRecategorise,
  canViewIncident,
  isAllegationSubject,
  recordNotFound,
  type IncidentAccessFacts,
  type PolicySchool,
  type TaggedIn,
} from "./incident.js";
import { canViewCaseEntries } from "./case-entries.js";
import { isSafeguardingLead, requiresMfa } from "./roles.js";

type RecordFacts = { incident: IncidentAccessFacts; school: PolicySchool; actions?: TaggedIn };

export type Resource =
  | ({ kind: "incident" } & RecordFacts)
  | { kind: "action"; action: Pick<IncidentAction, "recordedBy" | "taggedStaffIds"> }
  /** A file opens exactly as its incident does, tags included. */
  | ({ kind: "file" } & RecordFacts)
  /** A file being attached to a form not yet submitted. */
  | { kind: "upload" }
  | { kind: "pupil" }
  | { kind: "chronology" }
  | { kind: "category"; category: Pick<Category, "dslAllocatedOnly"> }
  | { kind: "school-setup" }
  /** Referrals, meetings, calls and disclosures on a pupil's chronology (policy/case-entries.ts). */
  | { kind: "case-entry" }
  /** Declared for the report, export and audit work; the safeguarding team only until then. */
  | { kind: "report" }
  | { kind: "export" }
  | { kind: "audit" };

type Kind = Resource["kind"];
type Of<K extends Kind> = Extract<Resource, { kind: K }>;

/** allow, or the refusal to give: hidden (answer as missing), mfa, or forbidden with a reason. */
type Decision = "allow" | "hidden" | "mfa" | { forbidden: string };

type Rule<K extends Kind> = (actor: Actor, resource: Of<K>) => Decision;

const signedInStrongly = (actor: Actor) => !requiresMfa(actor.role) || actor.mfa;
const when = (ok: boolean, refusal: Exclude<Decision, "allow">): Decision => (ok ? "allow" : refusal);
const readRecord = (actor: Actor, r: RecordFacts): Decision =>
  !signedInStrongly(actor) ? "mfa" : when(canViewIncident(actor, r.incident, r.school, r.actions), "hidden");
const safeguardingTeamOnly =
  (what: string) =>
  (actor: Actor): Decision =>
    !signedInStrongly(actor) ? "mfa" : when(isSafeguardingLead(actor.role), { forbidden: `Only the safeguarding team can ${what}.` });

const POLICY: { [K in Kind]: Record<string, Rule<K>> } = {
  incident: {
    view: readRecord,
    // A DSL re-tags what they can see; the named adult of an allegation never, even as a DSL.
    recategorise: (actor, r) => {
      const read = readRecord(actor, r);
      return read !== "allow" ? read : when(canRecategorise(actor), { forbidden: "Only a DSL can change a record's categories." });
    },
    "answer-alert": (actor, r) => when(!isAllegationSubject(actor, r.incident) && r.incident.alertedStaffIds.includes(actor.staffId), "hidden"),
  },
  action: {
    view: (actor, r) => when(canViewAction(actor, r.action), "hidden"),
    // Opening a protected record to someone is the safeguarding team's decision (README).
    "approve-tags": safeguardingTeamOnly("approve a tag on a safeguarding record"),
  },
  file: {
    download: readRecord,
  },
  upload: {
    "note-writer": (actor) => when(canNoteWhoWroteScan(actor), { forbidden: "Only a DSL uploading a scanned paper form can say who wrote it." }),
  },
  pupil: {
    // Names, year and class let anyone on the staff list record a concern, in the bot too (which
    // carries no sign-in strength); flags are filtered by visiblePupilFlags.
    search: () => "allow",
  },
  chronology: {
    browse: (actor) =>
      !signedInStrongly(actor)
        ? "mfa"
        : when(canBrowseChronology(actor), { forbidden: "Your role records concerns but does not browse pupils' records." }),
  },
  category: {
    allocate: (actor, r) => when(canAllocateCategory(actor, r.category), { forbidden: "Only a DSL can allocate this category." }),
  },
  "school-setup": { change: safeguardingTeamOnly("change the school's setup") },
  "case-entry": {
    record: safeguardingTeamOnly("add referrals, meetings, calls and disclosures to a chronology"),
    view: safeguardingTeamOnly("see referrals, meetings, calls and disclosures"),
    // A document on a pupil's file is as protected as the file itself; to anyone else it does not exist.
    "download-file": (actor) => (!signedInStrongly(actor) ? "mfa" : when(canViewCaseEntries(actor), "hidden")),
  },
  report: { run: safeguardingTeamOnly("run reports") },
  export: { run: safeguardingTeamOnly("export records") },
  audit: { view: safeguardingTeamOnly("read the audit trail") },
};

export type Verb<K extends Kind = Kind> = K extends Kind ? keyof (typeof POLICY)[K] & string : never;

function decide<R extends Resource>(actor: Actor, verb: string, resource: R): Decision {
  const table = POLICY[resource.kind] as Record<string, Rule<R["kind"]>>;
  const rule = Object.hasOwn(table, verb) ? table[verb] : undefined;
  // A verb nobody wrote a rule for is refused, never allowed by omission.
  if (!rule) return { forbidden: "That is not something Keepsafe lets anyone do." };
  return rule(actor, resource as unknown as Of<R["kind"]>);
}

/** Whether the actor may; for filtering lists (refused items are simply left out). */
export const can = <R extends Resource>(actor: Actor, verb: Verb<R["kind"]>, resource: R): boolean => decide(actor, verb, resource) === "allow";

/** Throws the refusal the edge maps to an answer; returns when the actor may. */
export function authorize<R extends Resource>(actor: Actor, verb: Verb<R["kind"]>, resource: R): void {
  const d = decide(actor, verb, resource);
  if (d === "allow") return;
  if (d === "hidden") throw recordNotFound();
  if (d === "mfa") throw MfaRequiredError();
  throw ForbiddenError(d.forbidden);
}
