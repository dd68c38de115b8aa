// A report's filters live in the page's URL query, so a report can be shared as a link: read from
// it when the page opens and written back (replaceState) as the filters change. Other parameters
// the host put there (hostOrigin) are kept.
import { readUrlFilters, setFilters, writeUrlFilters } from "./url-filters.js";

export const REPORT_KEYS = ["from", "to", "groupBy", "categoryIds", "yearGroups", "pupilGroups"] as const;
export type ReportFilters = Record<(typeof REPORT_KEYS)[number], string>;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** From the URL, with a default of the school year so far by month. */
export function filtersFromUrl(search: string, now = new Date()): ReportFilters {
  const f = readUrlFilters(search, REPORT_KEYS);
  const september = new Date(Date.UTC(now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1, 8, 1));
  return { ...f, from: f.from || isoDay(september), to: f.to || isoDay(now), groupBy: f.groupBy || "month" };
}

/** Writes the filters into the URL (empty ones left out) without a reload. */
export const writeFiltersToUrl = (filters: ReportFilters) => writeUrlFilters({ view: "reports" }, REPORT_KEYS, filters);

/** The route's query: the filters that are set. */
export const reportQuery = (filters: ReportFilters): Record<string, string> => setFilters(REPORT_KEYS, filters);
