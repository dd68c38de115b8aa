/** Dates typed and shown as UK staff write them (dd/mm/yyyy), kept as ISO days underneath. */
import assert from "node:assert/strict";
import { isoFromUk, ukFromIso } from "../../tab/src/uk-date.js";

describe("tab: UK dates", () => {
  it("shows an ISO day as dd/mm/yyyy and reads it back", () => {
    assert.equal(ukFromIso("2026-12-02"), "02/12/2026");
    assert.equal(isoFromUk("02/12/2026"), "2026-12-02");
    assert.equal(isoFromUk("2/12/2026"), "2026-12-02", "a single-digit day");
    assert.equal(isoFromUk(" 2.12.2026 "), "2026-12-02", "dots and spaces");
    assert.equal(isoFromUk("29/02/2028"), "2028-02-29", "a leap day");
  });

  it("takes nothing that is not a real day, and never reads it the American way", () => {
    for (const text of ["31/04/2026", "29/02/2027", "12/31/2026", "2026-12-02", "02/12/26", "", "tomorrow", "1/1/1/2026"]) {
      assert.equal(isoFromUk(text), undefined, text);
    }
    assert.equal(ukFromIso(""), "");
  });
});
