/**
 * The names of the concern form's inputs, shared by the command (which names them in its field
 * problems) and the card (which shows each problem beside the input of the same id). The tab uses
 * the same names, so one problem list serves every door.
 */
export const CONCERN_FIELDS = {
  toldDslInPerson: "toldDslInPerson",
  disclosure: "disclosure",
  allegation: "allegation",
  allegationStaffIds: "allegationStaffIds",
  status: "status",
  assignedToStaffId: "assignedToStaffId",
  agencyInvolved: "agencyInvolved",
  plannerDate: "plannerDate",
  plannerTime: "plannerTime",
  plannerNote: "plannerNote",
} as const;

// The inputs' names are the concern form model's (src/domain/concern-form/model.ts).
import { categoryFieldInput, linkedPartField, linkedPupilField, subCategoryInput } from "../domain/concern-form/model.js";
export { categoryFieldInput, linkedPartField, linkedPupilField, subCategoryInput };

/** Where a problem at a path inside the input belongs on the form. */
export function fieldForPath(path: readonly PropertyKey[]): string {
  const [head, second, third] = path;
  const row = typeof second === "number" ? second + 1 : 1;
  switch (head) {
    case "linkedPupils":
      return third === "part" ? linkedPartField(row) : linkedPupilField(row);
    case "allegationAgainstStaff":
      return CONCERN_FIELDS.allegationStaffIds;
    case "plannerReminder":
      if (second === "time") return CONCERN_FIELDS.plannerTime;
      return second === "note" ? CONCERN_FIELDS.plannerNote : CONCERN_FIELDS.plannerDate;
    case "categoryFields":
      return typeof second === "string" && typeof third === "string" ? categoryFieldInput(second, third) : "categoryFields";
    default:
      return String(head ?? "form");
  }
}
