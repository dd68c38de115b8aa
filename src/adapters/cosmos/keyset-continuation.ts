/**
 * Continuations for the newest-first lists read across partitions (My concerns, the audit trails).
 * They page by where the last page stopped (its oldest time and the ids read at that time), not by
 * Cosmos DB's own token: a list that merges two reads (raised or alerted, and tagged) has no single
 * token to carry, and a time with ties must neither repeat nor skip a row. The client holds only an
 * opaque string naming the list and whose it is; any other string is refused as an expired page.
 * A token carries at most 60 ids read at one millisecond (it must fit in an address of 4,096).
 */
import { z } from "zod";
import { ValidationError } from "../../domain/errors.js";
import { LIMITS } from "../../domain/limits.js";

/** Where a newest-first list stopped: nothing newer than `at` is left, and `seen` were read at `at`. */
export interface KeysetAfter {
  at: string;
  seen: string[];
}

export const expiredPage = () => ValidationError([{ field: "continuation", message: "This page of the list has expired; open the list again." }]);

const tokenSchema = z.strictObject({
  l: z.string(),
  o: z.string(),
  a: z.string().min(1).max(40),
  s: z.array(z.string().min(1).max(300)).min(1).max(60),
});

/** The list (`l`) and whose it is (`o`) a token must have been made for to be followed. */
export interface KeysetList {
  list: string;
  owner: string;
}

export function readKeyset(which: KeysetList, token: string | undefined): KeysetAfter | undefined {
  if (token === undefined) return undefined;
  if (token.length > LIMITS.continuationMaxLength) throw expiredPage();
  const checked = tokenSchema.safeParse(decodeToken(token, expiredPage));
  // A token made for another list, or another person's or pupil's, is refused, not followed.
  if (!checked.success || checked.data.l !== which.list || checked.data.o !== which.owner) throw expiredPage();
  return { at: checked.data.a, seen: checked.data.s };
}

/** The JSON an opaque token wraps (base64url), or `expired()` thrown when it wraps none. */
export function decodeToken(token: string, expired: () => Error): unknown {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw expired();
  }
}

export interface Keyed {
  at: string;
  id: string;
}

/**
 * One page from rows read newest first past `after` (the read asked for `limit + seen + 1`, so the
 * rows already seen at `after.at` cannot crowd out whether more remain): the page, and the token
 * for the next when more remain.
 */
export function keysetPage<T>(which: KeysetList, rows: readonly T[], key: (row: T) => Keyed, limit: number, after?: KeysetAfter) {
  const seen = new Set(after?.seen ?? []);
  const left = rows
    .filter((r) => {
      const k = key(r);
      return !after || k.at < after.at || (k.at === after.at && !seen.has(k.id));
    })
    .sort((a, b) => byNewest(key(a), key(b)));
  const page = left.slice(0, limit);
  if (left.length <= limit || page.length === 0) return { rows: page };
  const at = key(page[page.length - 1]).at;
  // Every id read at the page's last time so far (with earlier pages' when they stopped there too).
  const atLast = [
    ...(after?.at === at ? after.seen : []),
    ...page
      .map(key)
      .filter((k) => k.at === at)
      .map((k) => k.id),
  ];
  const token = Buffer.from(JSON.stringify({ l: which.list, o: which.owner, a: at, s: atLast })).toString("base64url");
  return { rows: page, continuation: token };
}

const byNewest = (a: Keyed, b: Keyed) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
