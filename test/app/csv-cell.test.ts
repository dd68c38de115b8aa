/**
 * The one CSV cell behind the audit trail's and the report's downloads: RFC 4180 quoting, and a
 * cell a spreadsheet would run as a formula (a staff name or an agency is the school's own text)
 * opens as text.
 */
import assert from "node:assert/strict";
import { csvCell } from "../../src/app/csv-cell.js";
import { auditCsv } from "../../src/app/audit-csv.js";

describe("CSV cells written by Keepsafe", () => {
  it("csv cell: a leading = + - @ tab or CR is made text with a quote mark", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"])
      assert.equal(csvCell(`${start}1+1`).replace(/^"/, "").startsWith(`'${start}`), true, JSON.stringify(start));
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  });

  it("csv cell: quotes a comma, quote or line break, leaves plain text and numbers alone, and writes nothing for a missing value", () => {
    assert.equal(csvCell("Smith, J"), `"Smith, J"`);
    assert.equal(csvCell('say "no"'), `"say ""no"""`);
    assert.equal(csvCell("two\nlines"), `"two\nlines"`);
    assert.equal(csvCell("Children's social care"), "Children's social care");
    assert.equal(csvCell(42), "42");
    assert.equal(csvCell(undefined), "");
  });

  it("csv cell: the audit trail's CSV guards a staff name that looks like a formula", () => {
    const csv = auditCsv([
      {
        at: "2026-12-03T10:00:00.000Z",
        type: "incident.viewed",
        outcome: "allowed",
        via: "tab",
        actorStaffId: "s1",
        actorName: "=cmd|'/c calc'!A1",
      } as never,
    ]);
    assert.match(csv.split("\r\n")[1]!, /,'=cmd\|'\/c calc'!A1,/);
  });
});
