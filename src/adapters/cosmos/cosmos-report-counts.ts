/**
 * A report's counts, made by the store: GROUP BY over the school's case documents (the record as
 * it stands now: current categories and status, cosmos-case-docs.ts) in the period, under the
 * reader's count rule (policy/report-counts.ts), so a year's report reads a few hundred group rows,
 * never its incidents. The records outside the rule the reader may still open through a link of
 * their own are read apart, field by field, and decided by the policy in the service.
 */
import type { Container } from "@azure/cosmos";
import type { ReportCountRule } from "../../domain/policy/report-counts.js";
import type { ReportCountQuery, ReportCounts, ReportFact, ReportStoreGrouping } from "../../ports/record-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { inList, query, type QueryParams } from "./cosmos-query.js";

/** Each grouping's expression over a case (and the JOIN it needs): the service reads its values back. */
const GROUP_EXPRESSIONS: Record<ReportStoreGrouping, { expr: string; join?: string }> = {
  hour: { expr: "LEFT(c.occurredAt, 13)" },
  minute: { expr: "LEFT(c.occurredAt, 16)" },
  dayOfWeek: { expr: "c.dayOfWeek" },
  session: { expr: "c.session" },
  location: { expr: "c.location" },
  category: { expr: "k", join: " JOIN k IN c.categoryIds" },
  subCategory: { expr: "k", join: " JOIN k IN c.subCategoryIds" },
};

/**
 * The rule as a flat AND of clauses, each true or false for every case (`?? []` for an absent
 * list). Flat, because the embedded engine's parser slows about sixfold with each level of nested
 * parentheses: every clause here and below sits at most one level deep.
 */
function ruleClause(rule: ReportCountRule, params: QueryParams): string {
  params["@reader"] = rule.readerStaffId;
  const parts = ["NOT ARRAY_CONTAINS(c.allegationSubjectStaffIds ?? [], @reader)"];
  if (!rule.allegations) parts.push("ARRAY_LENGTH(c.allegationSubjectStaffIds ?? []) = 0");
  rule.withoutCategoryIds.forEach((id, i) => {
    params[`@x${i}`] = id;
    parts.push(`NOT ARRAY_CONTAINS(c.categoryIds ?? [], @x${i})`);
  });
  if (rule.pupilIds) parts.push(pupilIn("s", rule.pupilIds, params));
  return parts.join(" AND ");
}

const pupilIn = (prefix: string, pupilIds: readonly string[], params: QueryParams) => {
  if (!pupilIds.length) return "false";
  const ids = inList(prefix, [...new Set(pupilIds)]);
  Object.assign(params, ids.params);
  return `c.pupilId IN (${ids.sql})`;
};

/** The school, the period and the report's own filters. */
function baseClause(q: ReportCountQuery, params: QueryParams): string {
  Object.assign(params, { "@schoolId": q.schoolId, "@from": q.from, "@until": q.until });
  const parts = ["c.type = 'case'", "c.schoolId = @schoolId", "c.occurredAt >= @from", "c.occurredAt < @until"];
  if (q.categoryIds?.length) {
    const ids = inList("f", q.categoryIds);
    Object.assign(params, ids.params);
    parts.push(
      `(${Object.keys(ids.params)
        .map((p) => `ARRAY_CONTAINS(c.categoryIds, ${p})`)
        .join(" OR ")})`,
    );
  }
  if (q.pupilIds) parts.push(pupilIn("p", q.pupilIds, params));
  return parts.join(" AND ");
}

/**
 * The part of the period a case falls in, as a chain of conditions with no parentheses (the
 * embedded parser's cost grows with their depth): `c.occurredAt >= @cut2 ? 2 : c.occurredAt >= @cut1 ? 1 : 0`.
 */
function partExpression(splitAt: readonly string[] | undefined, params: QueryParams): string | undefined {
  if (!splitAt?.length) return undefined;
  splitAt.forEach((at, i) => (params[`@cut${i + 1}`] = at));
  return `${splitAt.map((_, i) => `c.occurredAt >= @cut${splitAt.length - i} ? ${splitAt.length - i} : `).join("")}0`;
}

const partOf = (r: CosmosDoc) => (typeof r.part === "number" ? { part: r.part } : {});

export async function reportCounts(records: Container, q: ReportCountQuery): Promise<ReportCounts> {
  const params: QueryParams = Object.create(null);
  const where = `${baseClause(q, params)} AND ${ruleClause(q.rule, params)}`;
  const part = partExpression(q.splitAt, params);
  const [select, groupBy] = part ? [`, ${part} AS part`, `, ${part}`] : ["", ""];
  const [byPupil, ...groups] = await Promise.all([
    query(
      records,
      `SELECT c.pupilId AS pupilId, c.status AS status${select}, COUNT(1) AS n FROM c WHERE ${where} GROUP BY c.pupilId, c.status${groupBy}`,
      params,
    ),
    ...q.groupings.map((g) => {
      const { expr, join } = GROUP_EXPRESSIONS[g];
      return query(records, `SELECT ${expr} AS k${select}, COUNT(1) AS n FROM c${join ?? ""} WHERE ${where} GROUP BY ${expr}${groupBy}`, params);
    }),
  ]);
  return {
    byPupil: byPupil.map((r) => ({
      pupilId: String(r.pupilId),
      status: r.status === "closed" ? "closed" : "active",
      count: Number(r.n),
      ...partOf(r),
    })),
    groups: groups.map((rows) => rows.map((r) => ({ ...(typeof r.k === "string" ? { value: r.k } : {}), count: Number(r.n), ...partOf(r) }))),
  };
}

/**
 * The cases with a link to the reader (raised, alerted, tagged, or an allegation: policy
 * mayOpenThroughLink), with only the counted fields. The store does not leave out those the rule
 * already counts: the service does (passesReportCountRule), which keeps this query flat.
 */
export async function reportLinkedFacts(records: Container, q: ReportCountQuery, taggedIds: readonly string[]): Promise<ReportFact[]> {
  if (!q.rule.linksMatter) return [];
  const params: QueryParams = Object.create(null);
  params["@reader"] = q.rule.readerStaffId;
  const tagged = inList("t", [...new Set(taggedIds)]);
  Object.assign(params, tagged.params);
  const links = [
    "c.raisedBy.staffId = @reader",
    "ARRAY_CONTAINS(c.alertedStaffIds ?? [], @reader)",
    "ARRAY_LENGTH(c.allegationSubjectStaffIds ?? []) > 0",
    ...(tagged.sql ? [`c.entityId IN (${tagged.sql})`] : []),
  ];
  const docs = await query(
    records,
    "SELECT c.entityId AS id, c.pupilId, c.categoryIds, c.subCategoryIds, c.occurredAt, c.dayOfWeek, c.session, c.location, c.status, " +
      "c.alertedStaffIds, c.allegationSubjectStaffIds, c.raisedBy.staffId AS raisedByStaffId FROM c " +
      `WHERE ${baseClause(q, params)} AND (${links.join(" OR ")})`,
    params,
  );
  return docs.map(toReportFact);
}

/** A projected incident or case row back to a report fact; absent optional fields stay absent. */
export function toReportFact(d: CosmosDoc): ReportFact {
  const fact: ReportFact = {
    id: String(d.id),
    pupilId: String(d.pupilId),
    categoryIds: (d.categoryIds as string[] | undefined) ?? [],
    subCategoryIds: (d.subCategoryIds as string[] | undefined) ?? [],
    occurredAt: String(d.occurredAt),
    status: d.status === "closed" ? "closed" : "active",
    alertedStaffIds: (d.alertedStaffIds as string[] | undefined) ?? [],
    raisedBy: { staffId: String(d.raisedByStaffId) },
  };
  if (typeof d.dayOfWeek === "string") fact.dayOfWeek = d.dayOfWeek;
  if (typeof d.session === "string") fact.session = d.session as ReportFact["session"];
  if (typeof d.location === "string") fact.location = d.location;
  if (Array.isArray(d.allegationSubjectStaffIds)) fact.allegationSubjectStaffIds = d.allegationSubjectStaffIds as string[];
  return fact;
}
