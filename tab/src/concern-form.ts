// The tab's concern form as data: what the person has typed, how it becomes the API's input
// (the server's recordIncidentInputSchema), and the few checks worth making before sending.
// The server checks everything again; its problems come back named by the same field names.
import { LINKED_PARTS } from "../../src/domain/incident.js";
import type { BodyMapMark } from "../../src/domain/body-map.js";
import { LIMITS } from "../../src/domain/limits.js";
import { mustAskToldDsl as askToldDsl } from "../../src/domain/policy/form.js";
import { CONCERN_FIELDS, categoryFieldInput, linkedPartField, linkedPupilField } from "../../src/app/concern-fields.js";
// Pure Intl wall-clock conversion, shared with the bot's card (it belongs in src/domain one day).
import { wallClockNow, wallClockToIso } from "../../src/domain/wall-clock.js";
import type { FormOptions, PupilSummary, Role } from "../../src/contract/views.js";
import type { RecordIncidentBody } from "../../src/contract/requests.js";
import type { Session } from "../../src/domain/school.js";

export { CONCERN_FIELDS, categoryFieldInput, linkedPartField, linkedPupilField };
export type LinkedPartChoice = (typeof LINKED_PARTS)[number];
export const LINKED_PART_CHOICES = LINKED_PARTS;

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
    categoryIds: [], subCategoryIds: [], categoryFields: {},
    date: now.date, time: now.time, session: "", location: "", account: "",
    linked: [{ part: "" }],
    disclosure: false, toldDslInPerson: "", allegation: false, allegationStaffIds: [],
    status: "active", assignedToStaffId: "", alertGroupIds: [], alertStaffIds: [],
    agencyInvolved: "", plannerDate: "", plannerTime: "", plannerNote: "", marks: [],
  };
}

/** The domain's rule (policy/form.ts), the same the server and the card use: non-DSLs raising a disclosure or a protected category. */
export const mustAskToldDsl = (role: Role | undefined, options: FormOptions, form: Pick<ConcernForm, "disclosure" | "categoryIds">): boolean =>
  askToldDsl(role && { role }, options.categories, form);

/** The request body for POST /api/incidents. */
export function toIncidentInput(form: ConcernForm, options: FormOptions, role: Role | undefined): RecordIncidentBody {
  const chosen = new Set(form.categoryIds);
  const subs = new Set(options.categories.filter((c) => chosen.has(c.id)).flatMap((c) => c.subCategories.map((s) => s.id)));
  const occurredAt = wallClockToIso(form.date, form.time, options.timeZone);
  return {
    submissionId: form.submissionId,
    source: "tab",
    pupilId: form.pupil?.id ?? "",
    categoryIds: form.categoryIds,
    subCategoryIds: form.subCategoryIds.filter((s) => subs.has(s)),
    categoryFields: Object.fromEntries(Object.entries(form.categoryFields).filter(([id]) => chosen.has(id))),
    occurredAt: occurredAt ?? "",
    ...(form.session ? { session: form.session as Session } : {}),
    ...(form.location ? { location: form.location } : {}),
    account: form.account,
    // A row with a pupil but no part is sent as it is, so the server names the missing part beside it.
    // (The contract's type wants a part; the server, not the type, is what says so beside the row.)
    linkedPupils: form.linked.filter((l) => l.pupil).map((l) => ({ pupilId: l.pupil!.id, part: (l.part || undefined) as LinkedPartChoice })),
    disclosure: form.disclosure,
    ...(mustAskToldDsl(role, options, form) && form.toldDslInPerson ? { toldDslInPerson: form.toldDslInPerson } : {}),
    ...(form.allegation ? { allegationAgainstStaff: { staffIds: form.allegationStaffIds } } : {}),
    status: form.status,
    ...(form.assignedToStaffId ? { assignedToStaffId: form.assignedToStaffId } : {}),
    ...(form.agencyInvolved.trim() ? { agencyInvolved: form.agencyInvolved } : {}),
    ...(form.plannerDate || form.plannerTime || form.plannerNote.trim()
      ? { plannerReminder: { date: form.plannerDate, time: form.plannerTime, note: form.plannerNote } }
      : {}),
    alertGroupIds: form.alertGroupIds,
    alertStaffIds: form.alertStaffIds,
    ...(form.marks.length ? { bodyMap: { marks: form.marks } } : {}),
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
  const errors: FieldErrors = {};
  for (const { field, message } of fields) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  return errors;
}

export { LIMITS };
