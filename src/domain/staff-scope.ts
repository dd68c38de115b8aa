/**
 * A member of staff's scope: the year groups or classes a head of year or phase leader looks after
 * (staff.csv's `scope` column, e.g. `year:9` or `year:9;class:9R`). A scope narrows a senior
 * leader's reading to the pupils in it; the policy (src/domain/policy/scope.ts) applies it.
 */
export type ScopeEntry = { kind: "year" | "class"; value: string };

/** The parts of a pupil a scope is matched against. */
export type ScopedPupil = { yearGroup: string; className: string };

/** "Year 9", "year 9", "Y9" and "9" are the same year group; "Reception" stays itself. */
const yearKey = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/^(year|yr|y)\s*/, "");
const classKey = (s: string) => s.trim().toLowerCase();

export const pupilInScope = (scope: readonly ScopeEntry[], pupil: ScopedPupil) =>
  scope.some((e) => (e.kind === "year" ? yearKey(e.value) === yearKey(pupil.yearGroup) : classKey(e.value) === classKey(pupil.className)));

/** How a scope is written back (the CSV's form). */
export const scopeText = (scope: readonly ScopeEntry[]) => scope.map((e) => `${e.kind}:${e.value}`).join(";");
