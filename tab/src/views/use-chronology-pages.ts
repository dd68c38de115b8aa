// A pupil's chronology a page at a time: the first page loads with the view, and `loadMore`
// (the "Load more" button, or the end of the list scrolling into view) asks for the next with the
// server's opaque continuation, which the tab never reads.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChronologyRow, ChronologyView } from "../../../src/contract/views.js";
import { useAttempt, useLoad } from "../api-context.js";

export interface ChronologyPages {
  first?: ChronologyView;
  entries: ChronologyRow[];
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  loadingMore: boolean;
  moreError?: Error;
  loadMore(): void;
}

/** `filters` is the route's query of the filters set; a change loads the first page again. */
export function useChronologyPages(pupilId: string, filters: Record<string, string> = {}): ChronologyPages {
  const key = JSON.stringify(filters);
  const { data, error, loading } = useLoad((api, signal) => api.chronology(pupilId, signal, { filters }), [pupilId, key]);
  const { attempt, busy, error: moreError } = useAttempt();
  const [more, setMore] = useState<{ entries: ChronologyRow[]; continuation?: string }>({ entries: [] });
  // The first page's continuation starts the chain; a new pupil starts it again.
  useEffect(() => setMore({ entries: [], continuation: data?.continuation }), [data]);
  const inFlight = useRef(false);
  const loadMore = useCallback(() => {
    const continuation = more.continuation;
    if (!continuation || inFlight.current) return;
    inFlight.current = true;
    void attempt((api) => api.chronology(pupilId, undefined, { continuation, filters })).then((page) => {
      inFlight.current = false;
      if (page) setMore((m) => ({ entries: [...m.entries, ...page.entries], continuation: page.continuation }));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for `filters`
  }, [attempt, more.continuation, pupilId, key]);
  return {
    first: data,
    entries: data ? [...data.entries, ...more.entries] : [],
    loading,
    error,
    hasMore: Boolean(more.continuation),
    loadingMore: busy,
    moreError,
    loadMore,
  };
}
