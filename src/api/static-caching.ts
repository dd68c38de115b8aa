/**
 * How long a browser (and Teams' webview) may keep a built file. The builds name every bundle,
 * source map and licence file after its content hash (tab/build-cache.ts), so such a name never
 * changes meaning and can be kept for a year without asking again. Pages (index.html, the dialog
 * pages) keep their names across builds, so they are checked on every load and pick up the new
 * bundle name at once.
 */

/** esbuild's `[name]-[hash]` names: eight base-32 capitals after the last dash, then the extension(s). */
const CONTENT_HASHED = /-[A-Z2-7]{8}\.(js|css)(\.map|\.LEGAL\.txt)?$/;

export const IMMUTABLE = "public, max-age=31536000, immutable";

export function cacheControlFor(fileName: string): string {
  return CONTENT_HASHED.test(fileName) ? IMMUTABLE : "no-cache";
}
