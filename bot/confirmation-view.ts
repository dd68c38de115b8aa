/**
 * The names a confirmation card shows for a stored incident, from the form's own options: the
 * pupil, the categories and who was alerted, and in detail the sub-categories, each category
 * field, linked pupils and their parts, the assignee and the adults an allegation concerns.
 * Shared by the chat bot and the message extension.
 */
import type { FormOptions } from "../src/app/views.js";
import type { Incident } from "../src/domain/incident.js";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import type { Actor } from "../src/domain/actor.js";
import type { ConfirmationView } from "./cards/confirmation-card.js";
import { pupilTitle } from "./pupil-search.js";

/** The titles of the incident's pupils (subject and linked), from the roll, as the form showed them. */
export async function pupilTitles(
  service: Pick<KeepsafeService, "pupilsByIds">,
  actor: Actor,
  incident: Pick<Incident, "pupilId" | "linkedPupils">,
): Promise<(pupilId: string) => string | undefined> {
  const named = await service.pupilsByIds(actor, [incident.pupilId, ...incident.linkedPupils.map((l) => l.pupilId)]);
  const titles = new Map(named.map((p) => [p.id, pupilTitle(p)]));
  return (id) => titles.get(id);
}

/** The whole view for confirmationCard, the same from the chat form and the message extension. */
export function confirmationView(
  incident: Incident,
  options: FormOptions,
  pupilTitle: (pupilId: string) => string | undefined,
  shown: { alreadyRecorded: boolean },
): ConfirmationView {
  const categoryName = new Map(options.categories.map((c) => [c.id, c.name]));
  const staffName = new Map(options.staff.map((s) => [s.id, s.name]));
  return {
    pupilName: pupilTitle(incident.pupilId) ?? "The pupil chosen on the form",
    // A DSL-only category (chosen by a DSL) is still in their options; anything else reads as recorded.
    categoryNames: incident.categoryIds.map((id) => categoryName.get(id) ?? "Recorded category"),
    alertedNames: incident.alertedStaffIds.map((id) => staffName.get(id) ?? "A member of staff"),
    timeZone: options.timeZone,
    sessionLabel: incident.session ? options.sessions.find((s) => s.id === incident.session)?.label : undefined,
    alreadyRecorded: shown.alreadyRecorded,
    ...confirmationDetails(incident, options, pupilTitle),
  };
}

export function confirmationDetails(
  incident: Incident,
  options: FormOptions,
  pupilTitle: (pupilId: string) => string | undefined,
): Pick<ConfirmationView, "subCategoryNames" | "categoryFieldLines" | "linkedPupils" | "assignedToName" | "allegationNames"> {
  const staffName = (id: string) => options.staff.find((s) => s.id === id)?.name ?? "A member of staff";
  const chosen = options.categories.filter((c) => incident.categoryIds.includes(c.id));
  const subCategoryNames = chosen.flatMap((c) =>
    c.subCategories.filter((s) => incident.subCategoryIds.includes(s.id)).map((s) => `${c.name}: ${s.name}`),
  );
  const categoryFieldLines = chosen.flatMap((c) =>
    (c.fields ?? []).flatMap((f) => {
      const value = incident.categoryFields?.[c.id]?.[f.id];
      if (value === undefined || value.length === 0) return [];
      return [{ label: f.label, value: Array.isArray(value) ? value.join(", ") : value }];
    }),
  );
  return {
    subCategoryNames,
    categoryFieldLines,
    linkedPupils: incident.linkedPupils.map((l) => ({ name: pupilTitle(l.pupilId) ?? "A pupil chosen on the form", part: l.part })),
    assignedToName: incident.assignedToStaffId ? staffName(incident.assignedToStaffId) : undefined,
    allegationNames: incident.allegationSubjectStaffIds?.map(staffName),
  };
}
