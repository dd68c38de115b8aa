/** What "Download PDF" asks for: the chronology's own filters, with a whole-record period when none is chosen. */
import assert from "node:assert/strict";
import { chronologyExportQuery, filtersNotInExport } from "../../tab/src/chronology-export.js";
import { NO_CHRONOLOGY_FILTERS } from "../../tab/src/chronology-filters.js";

describe("tab: the chronology PDF's query", () => {
  const now = new Date("2026-07-01T23:30:00Z"); // 00:30 on 2 July in London

  it("runs from the pupil's birth to today in the UK when no period is chosen", () => {
    assert.deepEqual(chronologyExportQuery(NO_CHRONOLOGY_FILTERS, "2017-05-04", now), { from: "2017-05-04", to: "2026-07-02" });
  });

  it("carries the period, categories and types on screen", () => {
    const filters = { ...NO_CHRONOLOGY_FILTERS, from: "2026-03-01", to: "2026-03-31", categoryIds: "welfare", kinds: "case-entry" };
    assert.deepEqual(chronologyExportQuery(filters, "2017-05-04", now), {
      from: "2026-03-01",
      to: "2026-03-31",
      categoryIds: "welfare",
      kinds: "case-entry",
    });
    assert.equal(filtersNotInExport(filters), false);
    assert.equal(filtersNotInExport({ ...filters, status: "closed" }), true, "status is not an export filter, so the tab says so");
  });
});
