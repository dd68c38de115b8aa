// A list a page at a time: the first page loads with the view, and `loadMore` asks for the next with
// the server's opaque continuation (which the tab never reads) and appends its rows. The chronology,
// My concerns and the audit trails all page this way.
import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";
import type { ApiClient } from "../api-client.js";
import { useAttempt, useLoad } from "../api-context.js";

export interface ListPages<P, R> {
  first?: P;
  rows: R[];
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  loadingMore: boolean;
  moreError?: Error;
  loadMore(): void;
}

/** `load` reads a page (the first when `continuation` is undefined); a change in `deps` starts again. */
export function useListPages<P extends { continuation?: string }, R>(
  load: (api: ApiClient, signal: AbortSignal | undefined, continuation: string | undefined) => Promise<P>,
  rowsOf: (page: P) => R[],
  deps: DependencyList,
): ListPages<P, R> {
  const { data, error, loading } = useLoad((api, signal) => load(api, signal, undefined), deps);
  const { attempt, busy, error: moreError } = useAttempt();
  const [more, setMore] = useState<{ rows: R[]; continuation?: string }>({ rows: [] });
  // The first page's continuation starts the chain; a new first page starts it again.
  useEffect(() => setMore({ rows: [], continuation: data?.continuation }), [data]);
  const inFlight = useRef(false);
  const loadMore = useCallback(() => {
    const continuation = more.continuation;
    if (!continuation || inFlight.current) return;
    inFlight.current = true;
    void attempt((api) => load(api, undefined, continuation)).then((page) => {
      inFlight.current = false;
      if (page) setMore((m) => ({ rows: [...m.rows, ...rowsOf(page)], continuation: page.continuation }));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers list what their load depends on
  }, [attempt, more.continuation, ...deps]);
  return {
    first: data,
    rows: data ? [...rowsOf(data), ...more.rows] : [],
    loading,
    error,
    hasMore: Boolean(more.continuation),
    loadingMore: busy,
    moreError,
    loadMore,
  };
}
