/**
 * The parts of an incident's read-only view beyond its headline: everything the form recorded,
 * in words a reader understands (category field labels, session labels, names, file types).
 * The caller has already applied the access policy; this only decides what each reader is told.
 */
import type { Actor } from "../domain/actor.js";
import { fileView, incidentFileUrl } from "./file-view.js";
import type { Incident } from "../domain/incident.js";
import { seesAllegationNote } from "../domain/policy/index.js";
import type { School } from "../domain/school.js";
import type { IncidentDetailFields } from "./views.js";

export const ALLEGATION_NOTE = "Allegation about an adult who works here — consider the LADO";

export function incidentDetailFields(
  actor: Actor,
  incident: Incident,
  school: School,
  staffName: (staffId: string) => string,
  sessionLabel: (session: string) => string,
): IncidentDetailFields {
  const category = (id: string) => school.categories.find((c) => c.id === id);
  const subCategories = incident.categoryIds.flatMap((categoryId) => {
    const c = category(categoryId);
    return (c?.subCategories ?? []).filter((s) => incident.subCategoryIds.includes(s.id)).map((s) => ({ categoryName: c!.name, name: s.name }));
  });
  const categoryFields = Object.entries(incident.categoryFields ?? {}).flatMap(([categoryId, values]) => {
    const c = category(categoryId);
    return Object.entries(values).map(([fieldId, value]) => ({
      categoryName: c?.name ?? "Former category",
      label: c?.fields.find((f) => f.id === fieldId)?.label ?? fieldId,
      value: Array.isArray(value) ? value.join(", ") : value,
    }));
  });
  const { bodyMap, origin } = incident;
  return {
    dayOfWeek: incident.dayOfWeek,
    sessionLabel: incident.session ? sessionLabel(incident.session) : undefined,
    subCategories,
    categoryFields,
    disclosure: incident.disclosure ?? false,
    ...(incident.toldDslInPerson !== undefined ? { toldDslInPerson: incident.toldDslInPerson } : {}),
    ...(incident.allegationSubjectStaffIds?.length && seesAllegationNote(actor) ? { allegation: { note: ALLEGATION_NOTE } } : {}),
    ...(incident.assignedToStaffId ? { assignedTo: { staffId: incident.assignedToStaffId, name: staffName(incident.assignedToStaffId) } } : {}),
    ...(incident.agencyInvolved ? { agencyInvolved: incident.agencyInvolved } : {}),
    ...(incident.plannerReminder ? { plannerReminder: { ...incident.plannerReminder } } : {}),
    ...(origin
      ? { origin: { kind: origin.kind, ...(origin.sender ? { sender: origin.sender } : {}), ...(origin.sentAt ? { sentAt: origin.sentAt } : {}) } }
      : {}),
    ...(bodyMap?.marks.length ? { bodyMap: { marks: bodyMap.marks, recordedAt: bodyMap.recordedAt } } : {}),
    files: (incident.files ?? []).map((f) => fileView(f, incidentFileUrl(incident.id, f.fileId))),
  };
}
