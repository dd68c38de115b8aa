// A chronology's filters (category, entry type, period, author, status), kept in the URL with the
// pupil, so a DSL's narrowed chronology can be reloaded or shared as a link.
import { readUrlFilters, setFilters, writeUrlFilters } from "./url-filters.js";

export const CHRONOLOGY_KEYS = ["categoryIds", "kinds", "from", "to", "authorId", "status"] as const;
export type ChronologyFilters = Record<(typeof CHRONOLOGY_KEYS)[number], string>;

export const NO_CHRONOLOGY_FILTERS: ChronologyFilters = { categoryIds: "", kinds: "", from: "", to: "", authorId: "", status: "" };

/** The filters the URL holds for this pupil; none when the URL is about another view or pupil. */
export function chronologyFiltersFromUrl(search: string, pupilId: string): ChronologyFilters {
  const q = new URLSearchParams(search);
  if (q.get("view") !== "pupil" || q.get("pupilId") !== pupilId) return { ...NO_CHRONOLOGY_FILTERS };
  return readUrlFilters(search, CHRONOLOGY_KEYS);
}

/** The pupil a shared chronology link opens, if the URL is one. */
export function pupilIdFromUrl(search: string): string | undefined {
  const q = new URLSearchParams(search);
  return q.get("view") === "pupil" ? q.get("pupilId") || undefined : undefined;
}

export const writeChronologyFiltersToUrl = (pupilId: string, filters: ChronologyFilters) =>
  writeUrlFilters({ view: "pupil", pupilId }, CHRONOLOGY_KEYS, filters);

export const chronologyQuery = (filters: ChronologyFilters): Record<string, string> => setFilters(CHRONOLOGY_KEYS, filters);

export const hasChronologyFilters = (filters: ChronologyFilters) => CHRONOLOGY_KEYS.some((k) => filters[k]);
