import assert from "node:assert/strict";
import { formatWallClock, wallClockNow } from "../../src/domain/wall-clock.js";
import { dateIn, dayOfWeekIn } from "../../src/domain/school-clock.js";

/** Counts Intl.DateTimeFormat constructions while `fn` runs. */
function constructions(fn: () => void): number {
  const Real = Intl.DateTimeFormat;
  let made = 0;
  const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Real>) {
    made++;
    return new Real(...args);
  } as unknown as typeof Real;
  Object.assign(Counting, Real);
  Intl.DateTimeFormat = Counting;
  try {
    fn();
  } finally {
    Intl.DateTimeFormat = Real;
  }
  return made;
}

describe("school dates: formats made once per zone", () => {
  it("makes each Intl.DateTimeFormat once per zone, however many dates it formats, with the same answers", () => {
    const zone = "Pacific/Chatham"; // used nowhere else, so nothing is cached for it yet
    const made = constructions(() => {
      for (let i = 0; i < 50; i++) {
        const at = new Date(Date.UTC(2025, 2, 30, 0, i)).toISOString();
        formatWallClock(at, zone);
        dateIn(at, zone);
        dayOfWeekIn(at, zone);
        wallClockNow(new Date(at), zone);
      }
    });
    assert.ok(made <= 4, `made ${made} formats for 200 calls`);
    assert.equal(dateIn("2025-03-30T00:30:00.000Z", "Europe/London"), "2025-03-30");
    assert.equal(dayOfWeekIn("2025-03-30T23:30:00.000Z", "Europe/London"), "Monday", "after the clocks went forward, 00:30 BST on Monday");
    assert.match(formatWallClock("2025-07-01T09:15:00.000Z", "Europe/London"), /^Tuesday, 1 July 2025.* 10:15$/);
  });
});
