/**
 * The tab's files gzip-compressed for browsers that accept it (the bundle is about a quarter of its
 * size compressed). Compressed once per file version (path and modification time), not per request.
 */
import { gzipSync } from "node:zlib";

const cache = new Map<string, Buffer>();
const MAX_CACHED = 200;

/** Only text compresses well; images and archives are already compressed. */
const COMPRESSIBLE = /\.(js|css|html|json|map|svg|txt)$/;

/** Whether Accept-Encoding allows gzip: named (or `*`) and not refused with q=0. */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : (acceptEncoding ?? "");
  return header.split(",").some((part) => {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return (name === "gzip" || name === "*") && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** The gzip body for `file` as read at `mtimeMs`, or undefined when it is not worth compressing. */
export function gzipped(file: string, mtimeMs: number, body: Buffer): Buffer | undefined {
  if (!COMPRESSIBLE.test(file) || body.length < 1024) return undefined;
  const key = `${file}\u0000${mtimeMs}`;
  let out = cache.get(key);
  if (!out) {
    out = gzipSync(body, { level: 9 });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, out);
  }
  return out;
}
