/** Dates typed and shown as UK staff write them (dd/mm/yyyy), kept as ISO days underneath. */
import assert from "node:assert/strict";
import { clockTimeFrom, isoFromUk, ukFromIso } from "../../src/domain/uk-date.js";

describe("UK dates and times as staff type them", () => {
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

  it("reads a time on the 24-hour clock and refuses what is not a time of day", () => {
    assert.equal(clockTimeFrom("9:05"), "09:05");
    assert.equal(clockTimeFrom(" 14.30 "), "14:30");
    assert.equal(clockTimeFrom("23:59"), "23:59");
    for (const text of ["24:00", "12:60", "9:5", "9am", "2:30 PM", "", "1230"]) assert.equal(clockTimeFrom(text), undefined, text);
  });
});
