/**
 * The home's lists of cases a page at a time, newest first, paged by the same keyset continuation
 * as My concerns and the audit trails (keyset-continuation.ts): one read of the current-state
 * documents per page (the page, the rows already seen at its boundary, and one more), never the
 * whole list. A token names the list and whose it is, so it is followed only on that list.
 */
import type { Container } from "@azure/cosmos";
import type { CaseFact, CaseFactsPageRequest, CaseFilter } from "../../ports/task-store.js";
import { CASE_FIELDS, caseWhere } from "./cosmos-case-filter.js";
import { toCaseFact } from "./cosmos-case-docs.js";
import { olderThan, topFor } from "./cosmos-list-pages.js";
import { query } from "./cosmos-query.js";
import { keysetPage, readKeyset } from "./keyset-continuation.js";

export async function readCaseFactsPage(records: Container, schoolId: string, filter: CaseFilter, page: CaseFactsPageRequest) {
  const which = { list: page.list, owner: page.owner };
  // Checked before the filter: a foreign token is refused even on a list that is empty now.
  const after = readKeyset(which, page.continuation);
  const where = caseWhere(schoolId, filter);
  if (!where) return { facts: [] as CaseFact[] };
  const older = olderThan("c.recordedAt", after);
  const sql = `SELECT TOP @top ${CASE_FIELDS} FROM c WHERE ${where.sql}${older.sql} ORDER BY c.recordedAt DESC`;
  const docs = await query(records, sql, { ...where.params, ...older.params, "@top": topFor(page, after) });
  const { rows, continuation } = keysetPage(which, docs.map(toCaseFact), (f: CaseFact) => ({ at: f.recordedAt, id: f.id }), page.pageSize, after);
  return { facts: rows, ...(continuation ? { continuation } : {}) };
}
