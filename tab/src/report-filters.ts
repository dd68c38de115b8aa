// A report's filters live in the page's URL query, so a report can be shared as a link: read from
// it when the page opens and written back (replaceState) as the filters change. Other parameters
// the host put there (hostOrigin) are kept.
export const REPORT_KEYS = ["from", "to", "groupBy", "categoryIds", "yearGroups", "pupilGroups"] as const;
export type ReportFilters = Record<(typeof REPORT_KEYS)[number], string>;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** From the URL, with a default of the school year so far by month. */
export function filtersFromUrl(search: string, now = new Date()): ReportFilters {
  const q = new URLSearchParams(search);
  const september = new Date(Date.UTC(now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1, 8, 1));
  return {
    from: q.get("from") ?? isoDay(september),
    to: q.get("to") ?? isoDay(now),
    groupBy: q.get("groupBy") ?? "month",
    categoryIds: q.get("categoryIds") ?? "",
    yearGroups: q.get("yearGroups") ?? "",
    pupilGroups: q.get("pupilGroups") ?? "",
  };
}

/** Writes the filters into the URL (empty ones left out) without a reload. */
export function writeFiltersToUrl(filters: ReportFilters) {
  const url = new URL(window.location.href);
  url.searchParams.set("view", "reports");
  for (const key of REPORT_KEYS) {
    if (filters[key]) url.searchParams.set(key, filters[key]);
    else url.searchParams.delete(key);
  }
  window.history.replaceState(null, "", url.href);
}

/** The route's query: the filters that are set. */
export const reportQuery = (filters: ReportFilters): Record<string, string> =>
  Object.fromEntries(REPORT_KEYS.filter((k) => filters[k]).map((k) => [k, filters[k]]));
