/**
 * The pupil typeahead behind the form's "Pupil" choice set. Teams sends `application/search`
 * with the text typed so far and shows at most 15 results, each titled so the right child can be
 * told apart from another with the same name.
 */
import { z } from "zod";
import type { Actor } from "../src/domain/actor.js";
import { LIMITS } from "../src/domain/limits.js";
import type { PupilSummary } from "../src/app/pupil-index.js";

export const PUPILS_DATASET = "pupils";

export const searchInvokeValueSchema = z.object({
  queryText: z.string().default(""),
  dataset: z.string().default(""),
  queryOptions: z
    .object({ skip: z.coerce.number().int().min(0).default(0), top: z.coerce.number().int().min(1).default(LIMITS.pupilSearchMaxResults) })
    .default({ skip: 0, top: LIMITS.pupilSearchMaxResults }),
  /** The card's inputs, sent by the Pupil field (associatedInputs "auto"); only its chosen pupil is read. */
  data: z
    .object({ pupilId: z.string().max(200).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

export const pupilTitle = (p: Pick<PupilSummary, "displayName" | "yearGroup" | "className">) => `${p.displayName} (${p.yearGroup}, ${p.className})`;

export interface SearchInvokeResponse {
  status: number;
  body: { type: string; value: unknown };
}

export async function searchPupilsResponse(
  search: (actor: Actor, query: string, top: number) => Promise<PupilSummary[]>,
  actor: Actor,
  value: z.output<typeof searchInvokeValueSchema>,
  /** Pupils the field already lists as fixed choices, left out so none is listed twice. */
  listed: ReadonlySet<string | undefined> = new Set(),
): Promise<{ response: SearchInvokeResponse; shown: { id: string; title: string }[] }> {
  const query = value.queryText.trim();
  const { skip, top } = value.queryOptions;
  const pageSize = Math.min(top, LIMITS.pupilSearchMaxResults);
  const found = query.length < LIMITS.pupilSearchMinQuery ? [] : await search(actor, query, skip + pageSize);
  const shown = found
    .filter((p) => !listed.has(p.id))
    .slice(skip, skip + pageSize)
    .map((p) => ({ id: p.id, title: pupilTitle(p) }));
  return {
    shown,
    response: {
      status: 200,
      body: {
        type: "application/vnd.microsoft.search.searchResponse",
        value: { results: shown.map((p) => ({ title: p.title, value: p.id })) },
      },
    },
  };
}
