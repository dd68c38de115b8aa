// What "Download PDF" asks the server for: the chronology's own filters, so the conference pack is
// what is on screen. The export needs a period; with none chosen it runs from the pupil's birth
// (nothing is older) to today. Author and status have no export filter, so the caller says so.
import { dateIn } from "../../src/domain/school-clock.js";
import type { ChronologyFilters } from "./chronology-filters.js";

export function chronologyExportQuery(filters: ChronologyFilters, dateOfBirth: string, now = new Date()): Record<string, string> {
  return {
    from: filters.from || dateOfBirth,
    to: filters.to || dateIn(now, "Europe/London"),
    ...(filters.categoryIds ? { categoryIds: filters.categoryIds } : {}),
    ...(filters.kinds ? { kinds: filters.kinds } : {}),
  };
}

/** The filters on screen the PDF cannot apply. */
export const filtersNotInExport = (filters: ChronologyFilters) => !!(filters.authorId || filters.status);
