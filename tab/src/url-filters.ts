// A view's filters live in the page's URL query, so a view can be shared as a link and survives a
// reload: read when the view opens, written back (replaceState, no reload) as the filters change.
// Other parameters the host put there (hostOrigin) are kept.

/** Every view's own keys: a view writing its filters removes another view's, so they never mix. */
const VIEW_KEYS = ["view", "pupilId", "from", "to", "groupBy", "categoryIds", "yearGroups", "pupilGroups", "kinds", "authorId", "status"];

/** The named keys' values from a query string; absent ones empty. */
export function readUrlFilters<K extends string>(search: string, keys: readonly K[]): Record<K, string> {
  const q = new URLSearchParams(search);
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = q.get(key) ?? "";
  return out;
}

/** Writes the view and its filters into the URL (empty ones left out). */
export function writeUrlFilters<K extends string>(view: Record<string, string>, keys: readonly K[], filters: Record<K, string>) {
  const url = new URL(window.location.href);
  for (const key of VIEW_KEYS) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(view)) url.searchParams.set(key, value);
  for (const key of keys) {
    if (filters[key]) url.searchParams.set(key, filters[key]);
    else url.searchParams.delete(key);
  }
  window.history.replaceState(null, "", url.href);
}

/** The filters that are set, as a route's query. */
export const setFilters = <K extends string>(keys: readonly K[], filters: Record<K, string>): Record<string, string> =>
  Object.fromEntries(keys.filter((k) => filters[k]).map((k) => [k, filters[k]]));
