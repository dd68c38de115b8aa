/**
 * The WHERE clause of a home read over the case documents (cosmos-case-docs.ts): one per
 * CaseFilter, shared by the list (which reads the cases) and the count (which reads none), so the
 * count is of exactly the records the list would show.
 */
import type { CaseFilter } from "../../ports/task-store.js";
import { inList, type QueryParams } from "./cosmos-query.js";

/** The fields of a current-state document a list of cases reads (never the account). */
export const CASE_FIELDS =
  "c.entityId, c.schoolId, c.pupilId, c.reference, c.categoryIds, c.occurredAt, c.recordedAt, c.urgent, c.status, c.alertedStaffIds, " +
  "c.allegationSubjectStaffIds, c.assignedToStaffId, c.raisedBy, c.assignee";

/** The clause and its parameters, or undefined when nothing can match (an empty id list). */
export function caseWhere(schoolId: string, filter: CaseFilter): { sql: string; params: QueryParams } | undefined {
  const where = ["c.type = 'case'", "c.schoolId = @schoolId"];
  const params: QueryParams = { "@schoolId": schoolId };
  if (filter.ids) {
    if (!filter.ids.length) return undefined;
    const ids = inList("i", [...new Set(filter.ids)]);
    where.push(`c.entityId IN (${ids.sql})`);
    Object.assign(params, ids.params);
  }
  if (filter.urgent !== undefined) where.push(filter.urgent ? "c.urgent = true" : "c.urgent = false");
  if (filter.open) where.push("c.status = 'active'");
  if (filter.assignedTo) {
    const groups = inList("g", [...new Set(filter.assignedTo.groupIds)]);
    const toGroup = groups.sql ? ` OR (c.assignee.kind = 'group' AND c.assignee.id IN (${groups.sql}))` : "";
    where.push(`((c.assignee.kind = 'staff' AND c.assignee.id = @assignee)${toGroup})`);
    Object.assign(params, { "@assignee": filter.assignedTo.staffId }, groups.params);
  }
  const also = (clause: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params[name] = value;
  };
  also("c.recordedAt >= @from", "@from", filter.recordedFrom);
  also("c.recordedAt < @before", "@before", filter.recordedBefore);
  // A case carries the field only on an allegation about an adult: without it, no one is its subject.
  also(
    "(NOT IS_ARRAY(c.allegationSubjectStaffIds) OR NOT ARRAY_CONTAINS(c.allegationSubjectStaffIds, @subject))",
    "@subject",
    filter.notAllegationSubject,
  );
  return { sql: where.join(" AND "), params };
}
