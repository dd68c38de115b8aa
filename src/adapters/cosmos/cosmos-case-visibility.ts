/**
 * The store's half of a count over only the records a reader may open (policy
 * home-store-visibility.ts), in the words of canViewIncident, as disjoint flat clauses whose counts
 * add up: raised by the reader; else an allegation they receive; else (not an allegation) alerted
 * to them; else one their role opens. Flat, because the embedded engine's compile time grows
 * steeply with nested AND/OR/NOT (one nested clause took seconds to compile; four flat ones take
 * a fraction of that). A case carries allegationSubjectStaffIds only on an allegation about an adult.
 */
import type { StoreVisibility } from "../../domain/policy/index.js";
import type { QueryParams } from "./cosmos-query.js";

const NOT_RAISED = "c.raisedBy.staffId != @viewer";
const ALLEGATION = "ARRAY_LENGTH(c.allegationSubjectStaffIds ?? []) > 0";
const NOT_ALLEGATION = "ARRAY_LENGTH(c.allegationSubjectStaffIds ?? []) = 0";

export function visibilityParts(v: StoreVisibility): { sql: string; params: QueryParams }[] {
  const viewer: QueryParams = { "@viewer": v.staffId };
  const parts = [
    { sql: "c.raisedBy.staffId = @viewer", params: viewer },
    { sql: `${NOT_RAISED} AND ${NOT_ALLEGATION} AND ARRAY_CONTAINS(c.alertedStaffIds, @viewer)`, params: viewer },
  ];
  if (v.allegations && "all" in v.allegations) parts.push({ sql: `${NOT_RAISED} AND ${ALLEGATION}`, params: viewer });
  if (v.allegations && "naming" in v.allegations)
    parts.push({
      sql: `${NOT_RAISED} AND ${ALLEGATION} AND ARRAY_CONTAINS(c.allegationSubjectStaffIds, @namedHead)`,
      params: { ...viewer, "@namedHead": v.allegations.naming },
    });
  if (v.roleOpensExcept) {
    // As restricted as its most restricted category: none of the protected ones among them.
    const params: QueryParams = Object.create(null);
    params["@viewer"] = v.staffId;
    const none = [...new Set(v.roleOpensExcept)].map((id, i) => {
      params[`@p${i}`] = id;
      return ` AND NOT ARRAY_CONTAINS(c.categoryIds, @p${i})`;
    });
    parts.push({ sql: `${NOT_RAISED} AND ${NOT_ALLEGATION} AND NOT ARRAY_CONTAINS(c.alertedStaffIds, @viewer)${none.join("")}`, params });
  }
  return parts;
}
