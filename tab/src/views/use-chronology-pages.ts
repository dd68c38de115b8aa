// A pupil's chronology a page at a time (use-list-pages.ts): the first page loads with the view, and
// `loadMore` (the "Load more" button, or the end of the list scrolling into view) asks for the next.
import type { ChronologyRow, ChronologyView } from "../../../src/contract/views.js";
import { useListPages, type ListPages } from "./use-list-pages.js";

/** The list's pages (use-list-pages.ts), their rows named as the chronology's entries. */
export type ChronologyPages = Omit<ListPages<ChronologyView, ChronologyRow>, "rows"> & { entries: ChronologyRow[] };

/** `filters` is the route's query of the filters set; a change loads the first page again. */
export function useChronologyPages(pupilId: string, filters: Record<string, string> = {}): ChronologyPages {
  const key = JSON.stringify(filters);
  const { rows, ...pages } = useListPages(
    (api, signal, continuation) => api.chronology(pupilId, signal, { filters, ...(continuation !== undefined ? { continuation } : {}) }),
    (page: ChronologyView) => page.entries,
    [pupilId, key],
  );
  return { ...pages, entries: rows };
}
