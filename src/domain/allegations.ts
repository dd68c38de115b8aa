/**
 * Allegations against an adult who works or volunteers in school follow their own route
 * (domain.md, "Things schools have learned the hard way"): the head teacher, or the chair of
 * governors when the head is named, and the LADO. The named adult never sees or hears of it.
 */
import type { School } from "./school.js";

export const ALLEGATION_LABEL = "This concerns an adult who works or volunteers here";

export const ALLEGATION_GUIDANCE =
  "Allegations about an adult go to the head teacher, or to the chair of governors if the head is named; " +
  "the people named are never alerted and cannot see the record. A DSL or the head reading it must consider " +
  "contacting the LADO (local authority designated officer) the same working day.";

/** Who an allegation goes to: the head, or the chair of governors when the head is among those named. */
export function allegationRecipient(school: Pick<School, "headTeacherStaffId" | "chairOfGovernorsStaffId">, named: readonly string[]) {
  const headNamed = !!school.headTeacherStaffId && named.includes(school.headTeacherStaffId);
  return headNamed ? school.chairOfGovernorsStaffId : school.headTeacherStaffId;
}
