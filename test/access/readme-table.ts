/**
 * The README's "Who sees what", written out by hand for the access-matrix test. It is deliberately
 * NOT computed by calling the policy: the test holds the policy to this table, so the two are
 * compared rather than the policy with itself. Change the README and this together.
 */
export const SENSITIVITIES = ["standard", "protected", "allegation"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export type MatrixRole = "DSL" | "deputy DSL" | "SLT" | "head of year" | "teacher" | "admin staff" | "named adult";
export const MATRIX_ROLES: readonly MatrixRole[] = ["DSL", "deputy DSL", "SLT", "head of year", "teacher", "admin staff", "named adult"];

/** What a route may answer for an attempt: let through, answered as missing, refused for the role, or past the policy but not valid. */
export type Outcome = "allow" | "not-found" | "forbidden" | "invalid";

/**
 * How the matrix's records are raised: by the DSL (the head teacher), with the admin staff member
 * chosen to be alerted; the allegation names the Reception teacher ("named adult"). So the admin is
 * the README's "alerted to" staff member and the Year 3 teacher is staff with no part in the record.
 */
export const RAISER: MatrixRole = "DSL";
export const ALERTED: MatrixRole = "admin staff";

/** The README's read columns: "all", "only raised by / alerted to / tagged in", or never. */
type Read = "all" | "involved" | "no";
const READ: Record<MatrixRole, Record<Sensitivity, Read>> = {
  // "DSL, deputy DSL: all, unless named" (neither is named here).
  DSL: { standard: "all", protected: "all", allegation: "all" },
  "deputy DSL": { standard: "all", protected: "all", allegation: "all" },
  // "SLT: standard all; protected only raised by / alerted to / tagged in; allegation no (only what they raised)".
  SLT: { standard: "all", protected: "involved", allegation: "no" },
  // "Head of year (SLT with a scope): as SLT, for the pupils in their scope" (the matrix's pupils are in it).
  "head of year": { standard: "all", protected: "involved", allegation: "no" },
  // "Staff: only raised by / alerted to / tagged in; allegation no (only what they raised)".
  teacher: { standard: "involved", protected: "involved", allegation: "no" },
  "admin staff": { standard: "involved", protected: "involved", allegation: "no" },
  // "The adult an allegation names: never, whatever their role" (otherwise a teacher like any other).
  "named adult": { standard: "involved", protected: "involved", allegation: "no" },
};

/** Who is alerted to each record: the one chosen, plus the README's rules (protected reaches the safeguarding team; an allegation the head). */
export const alertedTo = (role: MatrixRole, s: Sensitivity) =>
  role === ALERTED || (s === "protected" && (role === "DSL" || role === "deputy DSL")) || (s === "allegation" && role === "DSL");

const involved = (role: MatrixRole, s: Sensitivity) => role === RAISER || alertedTo(role, s);

/** May this role read this record (README, "Standard / Protected / Allegation: read")? */
export const reads = (role: MatrixRole, s: Sensitivity): boolean => {
  const rule = READ[role][s];
  // "Raisers keep sight of what they wrote, an allegation included."
  return rule === "all" || role === RAISER || (rule === "involved" && involved(role, s));
};

/** "Browse a chronology": DSLs, deputies and SLT; staff no. Reports are for the same readers. */
export const browses = (role: MatrixRole) => role === "DSL" || role === "deputy DSL" || role === "SLT" || role === "head of year";

/** "Reports, exports, the audit trail and school setup are for the safeguarding team"; so is changing a record. */
export const safeguardingTeam = (role: MatrixRole) => role === "DSL" || role === "deputy DSL";

/** "My concerns": what they raised, were alerted to or tagged in, and could read. */
export const listedInMyConcerns = (role: MatrixRole, s: Sensitivity) => involved(role, s) && reads(role, s);

/** "Case entries ... add / see": DSLs and deputies yes (with MFA), everyone else no; an attempt to add one is refused (403) and audited. */
export const addsCaseEntries = (role: MatrixRole) => role === "DSL" || role === "deputy DSL";

/**
 * "A document on a pupil's file (or a meeting's papers) is downloaded only by DSLs and deputies with
 * MFA ... anyone else is answered as if there were no file (404)".
 */
export const downloadsCaseEntryFiles = (role: MatrixRole) => role === "DSL" || role === "deputy DSL";

/** Subject access requests are exports of a pupil's records: "exports ... are for the safeguarding team". */
export const handlesSubjectAccess = (role: MatrixRole) => role === "DSL" || role === "deputy DSL";

/** The governors' summary is a report ("Reports are for the same readers" as a chronology), its PDF the same summary. */
export const readsGovernorsSummary = (role: MatrixRole) => browses(role);

/**
 * The matrix's task: on a standard record the DSL raised (the admin alerted), the DSL sets it for the
 * admin and tags the Year 3 teacher in it. An action is seen by those tagged in it (a task's owner is),
 * whoever recorded it and the safeguarding leads; others who may read the record are answered as if
 * the action were missing. Of those who see it, "its owner, its author or a DSL" (a deputy is one) may mark it.
 */
export const TASK_OWNER: MatrixRole = ALERTED;
export const TASK_TAGGED: MatrixRole = "teacher";
export const marksTask = (role: MatrixRole): Outcome => {
  const marks = role === TASK_OWNER || role === RAISER || safeguardingTeam(role);
  return marks ? "allow" : role === TASK_TAGGED ? "forbidden" : "not-found";
};

/** "The landing page for each role": the safeguarding team and SLT see the team's lists, staff their own concerns. */
export const homeListFor = (role: MatrixRole) => (browses(role) ? "unread" : "my-concerns");
