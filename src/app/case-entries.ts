/**
 * "Add to chronology": a DSL or deputy records a referral, a decision not to refer, a meeting, a
 * phone call or information disclosed to an agency, and later a referral's outcome. Each is an
 * immutable entry in the pupil's partition, stored with its audit event in one batch; a referral
 * also opens the watch the overdue job runs from, and its outcome closes it in the same batch.
 */
import type { Actor } from "../domain/actor.js";
import type { AuditEvent } from "../domain/incident.js";
import {
  MEETING_TYPES,
  documentTypesOf,
  fileOfCaseEntry,
  outcomeIdFor,
  referralAgenciesOf,
  type CaseEntry,
  type CaseEntryKind,
  type ReferralOutcome,
} from "../domain/case-entries.js";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.js";
import { authorize, can } from "../domain/policy/index.js";
import { alertTimeAfter, type ReferralWatch } from "../domain/referral-watch.js";
import { dateIn } from "../domain/school-clock.js";
import { addSchoolDays, calendarOf } from "../domain/school-calendar.js";
import type { School } from "../domain/school.js";
import {
  addCaseEntryBodySchema,
  referralOutcomeBodySchema,
  type AddCaseEntryBody,
  type ReferralOutcomeBody,
} from "../contract/case-entry-requests.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { DraftStore } from "../domain/files.js";
import type { Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { auditOrigin } from "./audit-origin.js";
import { auditRefusal } from "./incident-access.js";
import { fieldProblemsFrom } from "./record-incident.js";
import { draftFileFor, forgetDraft } from "./case-entry-files.js";
import { claimFiles } from "./file-claims.js";

export interface CaseEntryDeps {
  schools: SchoolStore;
  records: RecordStore;
  caseEntries: CaseEntryStore;
  clock: Clock;
  /** The forms' drafts, where a document's file waits after its upload. */
  drafts?: DraftStore;
  /** Where the file is claimed for the entry before it is stored (file-claims.ts). */
  files?: FileStore;
}

export interface CaseEntryAdded {
  entry: { id: string; kind: CaseEntryKind };
  created: boolean;
}

/** A few minutes' grace for a device clock running fast; later than that is a typing slip. */
const FUTURE_GRACE_MS = 5 * 60_000;

/** The safeguarding team only; a refusal is audited against the pupil when there is one. */
async function openForCasework(deps: CaseEntryDeps, actor: Actor, pupilId: string): Promise<School> {
  if (!can(actor, "record", { kind: "case-entry" })) {
    const asked = await deps.schools.getPupil(actor.schoolId, pupilId);
    if (asked) await auditRefusal(deps, actor, { pupilId: asked.id }, "case-entry.add");
    authorize(actor, "record", { kind: "case-entry" });
  }
  const [school, pupil] = await Promise.all([deps.schools.getSchool(actor.schoolId), deps.schools.getPupil(actor.schoolId, pupilId)]);
  if (!school) throw NotFoundError("The school");
  if (!pupil) throw NotFoundError("The pupil");
  return school;
}

function notInFuture(deps: CaseEntryDeps, occurredAt: string) {
  if (Date.parse(occurredAt) > deps.clock.now().getTime() + FUTURE_GRACE_MS)
    throw ValidationError([{ field: "occurredAt", message: "This date is in the future." }]);
}

/** Ids and the kind only: the entry's words are the record's, not the audit's. */
const auditFor = (actor: Actor, entry: CaseEntry, detail: AuditEvent["detail"] = {}): AuditEvent => ({
  id: `case-entry:${entry.id}`,
  schoolId: actor.schoolId,
  pupilId: entry.pupilId,
  type: "case-entry.recorded",
  actorStaffId: actor.staffId,
  at: entry.recordedAt,
  detail: { caseEntryId: entry.id, kind: entry.kind, ...detail },
  ...auditOrigin(actor),
});

export async function addCaseEntry(deps: CaseEntryDeps, actor: Actor, pupilId: string, raw: AddCaseEntryBody): Promise<CaseEntryAdded> {
  const parsed = addCaseEntryBodySchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const body = parsed.data;
  const school = await openForCasework(deps, actor, pupilId);
  notInFuture(deps, body.occurredAt);

  const agencies = referralAgenciesOf(school);
  const agencyId = "agencyId" in body ? body.agencyId : undefined;
  const agency = agencyId === undefined ? undefined : agencies.find((a) => a.id === agencyId);
  if (agencyId !== undefined && !agency) throw ValidationError([{ field: "agencyId", message: "Choose an agency from the school's list." }]);
  if (body.kind === "document" && !documentTypesOf(school).includes(body.documentType))
    throw ValidationError([{ field: "documentType", message: "Choose a type of document from the school's list." }]);

  const { requestId: _r, occurredAt, ...rest } = body;
  const base = {
    id: `${body.kind}-${body.requestId}`,
    schoolId: actor.schoolId,
    pupilId,
    occurredAt: new Date(occurredAt).toISOString(),
    recordedAt: deps.clock.now().toISOString(),
    by: { staffId: actor.staffId, name: actor.name },
  };
  let entry: CaseEntry;
  let watch: ReferralWatch | undefined;
  if (rest.kind === "referral") {
    const { agencyId: _a, ...fields } = rest;
    // Due after the school's expected response, counted in school days from the referral's date.
    const calendar = calendarOf(school);
    const dueDate = addSchoolDays(calendar, dateIn(base.occurredAt, school.timeZone), agency!.responseDays);
    entry = { ...base, ...fields, agencyId: agency!.id, agencyName: agency!.name, expectedResponseDays: agency!.responseDays, dueDate };
    watch = {
      id: entry.id,
      schoolId: entry.schoolId,
      pupilId,
      dueDate,
      status: "open",
      nextAlertAt: alertTimeAfter(dueDate, { timeZone: school.timeZone, calendar }),
      alertsSent: 0,
    };
  } else if (rest.kind === "no-referral") {
    const { agencyId: _a, ...fields } = rest;
    entry = { ...base, ...fields, ...(agency ? { agencyId: agency.id, agencyName: agency.name } : {}) };
  } else if (rest.kind === "document" || rest.kind === "meeting") {
    const { fileId, ...fields } = rest;
    if (fileId) {
      // Sent again after it was stored (its draft is gone by then): the same answer as any repeat.
      const stored = await deps.caseEntries.getCaseEntry(pupilId, base.id);
      if (stored?.schoolId === actor.schoolId) return { entry: { id: stored.id, kind: stored.kind }, created: false };
    }
    const file = fileId ? await draftFileFor(deps, actor, body.requestId, fileId) : undefined;
    entry = fields.kind === "document" ? { ...base, ...fields, file: file! } : { ...base, ...fields, ...(file ? { file } : {}) };
  } else {
    entry = { ...base, ...rest };
  }
  const file = fileOfCaseEntry(entry);
  await claimFiles(deps, { record: "case-entry", pupilId, recordId: entry.id }, file ? [file] : [], "fileId");
  const detail = { ...(agency ? { agencyId: agency.id } : {}), ...(file ? { fileId: file.fileId } : {}) };
  const { created } = await deps.caseEntries.addCaseEntry(entry, auditFor(actor, entry, detail), watch);
  if (created && file) await forgetDraft(deps, actor, body.requestId);
  return { entry: { id: entry.id, kind: entry.kind }, created };
}

export async function recordReferralOutcome(
  deps: CaseEntryDeps,
  actor: Actor,
  pupilId: string,
  referralId: string,
  raw: ReferralOutcomeBody,
): Promise<CaseEntryAdded> {
  const parsed = referralOutcomeBodySchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  await openForCasework(deps, actor, pupilId);
  notInFuture(deps, parsed.data.occurredAt);
  const referral = await deps.caseEntries.getCaseEntry(pupilId, referralId);
  if (!referral || referral.kind !== "referral" || referral.schoolId !== actor.schoolId) throw NotFoundError("The referral");

  const now = deps.clock.now().toISOString();
  const entry: ReferralOutcome = {
    id: outcomeIdFor(referral.id),
    schoolId: actor.schoolId,
    pupilId,
    occurredAt: new Date(parsed.data.occurredAt).toISOString(),
    recordedAt: now,
    by: { staffId: actor.staffId, name: actor.name },
    kind: "referral-outcome",
    referralId: referral.id,
    outcome: parsed.data.outcome,
  };
  // Closing the watch in the same batch: no overdue alert is made once the outcome is in.
  const closed: ReferralWatch = {
    id: referral.id,
    schoolId: referral.schoolId,
    pupilId,
    dueDate: referral.dueDate,
    status: "closed",
    nextAlertAt: now,
    alertsSent: 0,
  };
  const { created } = await deps.caseEntries.addCaseEntry(entry, auditFor(actor, entry, { referralId: referral.id }), closed);
  // One outcome per referral: a second (someone else's, or a stale form) stores nothing and says so.
  if (!created)
    throw ConflictError("An outcome is already recorded for this referral. Open the chronology again to read it.", { referralId: referral.id });
  return { entry: { id: entry.id, kind: entry.kind }, created };
}

/** What the forms offer: the school's agencies with their expected response, the meeting types and the school's document types. */
export function caseEntryOptions(actor: Actor, school: School) {
  authorize(actor, "record", { kind: "case-entry" });
  return {
    agencies: referralAgenciesOf(school).map((a) => ({ ...a })),
    meetingTypes: [...MEETING_TYPES],
    documentTypes: [...documentTypesOf(school)],
  };
}
