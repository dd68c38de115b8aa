/**
 * Who is alerted to a new incident. The person raising it chooses named staff and groups; the
 * school's rules then add the safeguarding team for protected categories (a safeguarding concern
 * must always reach a DSL), send an allegation about an adult to the head (or the chair of
 * governors when the head is named), and take out anyone an allegation names, whoever chose them
 * and whatever their role.
 */
import type { Category } from "./categories.js";
import type { School, StaffMember } from "./school.js";
import { alwaysAlertedToProtected } from "./policy/index.js";
import { allegationRecipient } from "./allegations.js";

export interface AlertRoutingInput {
  chosenStaffIds: string[];
  chosenGroupIds: string[];
  categoryIds: string[];
  allegationSubjectStaffIds: string[];
}

export function routeAlerts(school: School, staff: StaffMember[], input: AlertRoutingInput): string[] {
  const active = new Map(staff.filter((s) => s.active).map((s) => [s.id, s]));
  const recipients = new Set<string>(input.chosenStaffIds);
  for (const groupId of input.chosenGroupIds) {
    for (const id of school.alertGroups.find((g) => g.id === groupId)?.staffIds ?? []) recipients.add(id);
  }
  const protectedChosen = input.categoryIds.some((id) => school.categories.find((c: Category) => c.id === id)?.protected ?? false);
  if (protectedChosen) {
    for (const member of active.values()) if (alwaysAlertedToProtected(member)) recipients.add(member.id);
  }
  if (input.allegationSubjectStaffIds.length) {
    const routeTo = allegationRecipient(school, input.allegationSubjectStaffIds);
    if (routeTo) recipients.add(routeTo);
  }
  // Last, so no rule above can put a named adult back.
  for (const subject of input.allegationSubjectStaffIds) recipients.delete(subject);
  return [...recipients].filter((id) => active.has(id)).sort();
}
