// The tab's concern form as data: what the person has typed, how it becomes the API's input
// (through the concern-form model's one mapper, as the card's does), and the few checks worth
// making before sending.
// The server checks everything again; its problems come back named by the same field names.
import { LINKED_PARTS } from "../../src/domain/incident.js";
import type { BodyMapMark } from "../../src/domain/body-map.js";
import { LIMITS } from "../../src/domain/limits.js";
import { mustAskToldDsl as askToldDsl } from "../../src/domain/policy/form.js";
import { CONCERN_FIELDS, linkedPartField } from "../../src/app/concern-fields.js";
// Pure Intl wall-clock conversion, shared with the bot's card (it belongs in src/domain one day).
import { wallClockNow, wallClockToIso } from "../../src/domain/wall-clock.js";
import type { FormOptions, PupilSummary, Role } from "../../src/contract/views.js";
import type { RecordIncidentBody } from "../../src/contract/requests.js";
import { recordCommandFrom, type ConcernAnswers } from "../../src/domain/concern-form/record-command.js";

export { CONCERN_FIELDS };
export type LinkedPartChoice = (typeof LINKED_PARTS)[number];

export interface ConcernForm {
  submissionId: string;
  pupil?: PupilSummary;
  categoryIds: string[];
  subCategoryIds: string[];
  /** Category id -> field id -> chosen options or text. */
  categoryFields: Record<string, Record<string, string | string[]>>;
  date: string;
  time: string;
  session: string;
  location: string;
  account: string;
  linked: { pupil?: PupilSummary; part: LinkedPartChoice | "" }[];
  disclosure: boolean;
  toldDslInPerson: "" | "yes" | "not-yet";
  allegation: boolean;
  allegationStaffIds: string[];
  status: "active" | "closed";
  assignedToStaffId: string;
  alertGroupIds: string[];
  alertStaffIds: string[];
  agencyInvolved: string;
  plannerDate: string;
  plannerTime: string;
  plannerNote: string;
  marks: BodyMapMark[];
}

export type FieldErrors = Record<string, string>;

/** A new, blank form dated now in the school's zone, with an id of its own (which makes submit idempotent). */
export function newConcernForm(options: Pick<FormOptions, "now" | "timeZone">): ConcernForm {
  const now = wallClockNow(new Date(options.now), options.timeZone);
  return {
    submissionId: `tab-${crypto.randomUUID()}`,
    categoryIds: [],
    subCategoryIds: [],
    categoryFields: {},
    date: now.date,
    time: now.time,
    session: "",
    location: "",
    account: "",
    linked: [{ part: "" }],
    disclosure: false,
    toldDslInPerson: "",
    allegation: false,
    allegationStaffIds: [],
    status: "active",
    assignedToStaffId: "",
    alertGroupIds: [],
    alertStaffIds: [],
    agencyInvolved: "",
    plannerDate: "",
    plannerTime: "",
    plannerNote: "",
    marks: [],
  };
}

/** The domain's rule (policy/form.ts), the same the server and the card use: non-DSLs raising a disclosure or a protected category. */
export const mustAskToldDsl = (role: Role | undefined, options: FormOptions, form: Pick<ConcernForm, "disclosure" | "categoryIds">): boolean =>
  askToldDsl(role && { role }, options.categories, form);

/**
 * The request body for POST /api/incidents: the form's answers through the concern form model's
 * one mapper (the card's too), with the body map drawn here.
 */
export function toIncidentInput(form: ConcernForm, options: FormOptions, role: Role | undefined): RecordIncidentBody {
  const command = recordCommandFrom(answersOf(form), { categories: options.categories, timeZone: options.timeZone, role, source: "tab" });
  // The contract's type wants checked values; the server's schema, not the type, is what names a
  // missing part or a bad answer beside its field.
  const body = command as RecordIncidentBody;
  return form.marks.length ? { ...body, bodyMap: { marks: form.marks } } : body;
}

/** What the person chose, as the model's answers: pupils by id, each category's answers under its id. */
export function answersOf(form: ConcernForm): ConcernAnswers {
  return {
    ...form,
    pupilId: form.pupil?.id ?? "",
    categoryFields: new Map(Object.entries(form.categoryFields).map(([id, fields]) => [id, new Map(Object.entries(fields))])),
    occurredDate: form.date,
    occurredTime: form.time,
    linkedPupils: form.linked.flatMap((l) => (l.pupil ? [{ pupilId: l.pupil.id, part: l.part }] : [])),
  };
}

/** A time a few minutes ahead is clock drift, as the server allows. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Problems worth saying before sending. The server would find them too, but it stops at the first
 * kind of problem; saying them all at once saves the person a round trip.
 */
export function checkBeforeSending(form: ConcernForm, options: FormOptions, serverNowOffsetMs: number): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.pupil) errors.pupilId = "Choose the pupil this concern is about.";
  if (form.categoryIds.length === 0) errors.categoryIds = "Choose at least one category.";
  const occurredAt = wallClockToIso(form.date, form.time, options.timeZone);
  if (!occurredAt) errors.occurredAt = "Give the date and time it happened.";
  else if (new Date(occurredAt).getTime() > Date.now() + serverNowOffsetMs + FUTURE_TOLERANCE_MS)
    errors.occurredAt = "The date and time cannot be in the future.";
  const account = form.account.trim();
  if (account.length < LIMITS.accountMinLength) errors.account = `Write what you saw or heard (at least ${LIMITS.accountMinLength} characters).`;
  form.linked.forEach((l, i) => {
    if (l.pupil && !l.part) errors[linkedPartField(i + 1)] = "Say how this pupil was involved.";
  });
  return errors;
}

/** Server problems by field; several on one field are shown together. */
export function errorsFrom(fields: { field: string; message: string }[]): FieldErrors {
  // Keyed by the server's field names: no prototype, so "__proto__" is a name like any other.
  const errors: FieldErrors = Object.create(null);
  for (const { field, message } of fields) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  return errors;
}
