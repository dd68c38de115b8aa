/**
 * Reading a home list page by page through the real tab API, and checking that tokens which are
 * not the reader's for that list are refused as an expired page (400 naming the continuation).
 */
import assert from "node:assert/strict";
import type { HomeList } from "../../src/contract/task-views.js";
import type { DemoStaffMember } from "../../src/local/demo-school.js";
import type { TestKeepsafe } from "./keepsafe-instance.js";

export type Get = (path: string, staff: DemoStaffMember) => Promise<Response>;

export const getAs =
  (keepsafe: () => TestKeepsafe): Get =>
  async (path, staff) =>
    keepsafe().api(path, await keepsafe().tokenFor(staff));

/** Follows `continuation` from the first page to the last, checking each page keeps to the cap. */
export async function allHomePages(get: Get, list: string, staff: DemoStaffMember, cap: number, rowsOf: (page: HomeList) => unknown[]) {
  const pages: HomeList[] = [];
  let continuation: string | undefined;
  do {
    const res = await get(`/api/home/${list}${continuation ? `?continuation=${continuation}` : ""}`, staff);
    assert.equal(res.status, 200, await res.clone().text());
    const page = (await res.json()) as HomeList;
    assert.ok(rowsOf(page).length <= cap, `a page of ${rowsOf(page).length}`);
    pages.push(page);
    continuation = page.continuation;
    assert.ok(pages.length < 30, "paging ends");
  } while (continuation);
  return pages;
}

/** A token as Keepsafe makes them, for forging. */
export const forgeToken = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** Each [reader, list, token] answers 400: the page has expired, naming the continuation. */
export async function assertRefusedTokens(get: Get, refused: [DemoStaffMember, string, string][]) {
  for (const [staff, list, token] of refused) {
    const res = await get(`/api/home/${list}?continuation=${encodeURIComponent(token)}`, staff);
    assert.equal(res.status, 400, `${staff.label} ${list} refuses ${token.slice(0, 40)}`);
    const text = await res.text();
    assert.match(text, /continuation/);
    assert.match(text, /expired/);
  }
}
