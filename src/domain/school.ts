import type { EarlyWarningRules } from "./early-warning.js";
import type { ScopeEntry } from "./staff-scope.js";
import type { Category } from "./categories.js";
import type { Role } from "./roles.js";
import type { ReferralAgency } from "./case-entries.js";
import type { SchoolCalendar } from "./school-calendar.js";

export const PUPIL_FLAGS = ["LAC", "CP", "CIN", "SEND", "EAL", "PPG", "YC"] as const;
export type PupilFlag = (typeof PUPIL_FLAGS)[number];

export const SESSIONS = ["before-school", "morning", "lunch", "afternoon", "after-school", "outside-school"] as const;
export type Session = (typeof SESSIONS)[number];

export interface School {
  id: string;
  name: string;
  /** IANA zone; dates on forms default to "now" here. */
  timeZone: string;
  categories: Category[];
  locations: string[];
  /** Named alert groups (Safeguarding team, SLT, Head of School), each a list of staff ids. */
  alertGroups: AlertGroup[];
  headTeacherStaffId?: string;
  /** Changes whenever pupils are imported, so in-memory pupil indexes know to reload. */
  rosterVersion?: string;
  chairOfGovernorsStaffId?: string;
  /** Agencies a DSL refers to and their expected response in school days; DEFAULT_REFERRAL_AGENCIES when unset. */
  referralAgencies?: ReferralAgency[];
  /** The types a document on a pupil's file may have; DEFAULT_DOCUMENT_TYPES when unset. */
  documentTypes?: string[];
  /** Minutes without input after which the tab blanks itself; DEFAULT_IDLE_HIDE_MINUTES when unset. */
  idleHideMinutes?: number;
  /** When a DSL or deputy first marks a concern as read, the member of staff who raised it is told (off unless set). */
  tellRaiserWhenRead?: boolean;
  /** School days after which an open record is flagged to the DSLs for review; DEFAULT_REVIEW_AFTER_DAYS when unset. */
  reviewAfterDays?: number;
  /** When concerns about one pupil build up enough to alert the DSLs; DEFAULT_EARLY_WARNING when unset. */
  earlyWarning?: EarlyWarningRules;
  /** Terms and the days inside them the school is closed; Monday to Friday (WEEKDAYS_ONLY) when unset. */
  calendar?: SchoolCalendar;
  /** School days before a subject access deadline that the safeguarding team is alerted; DEFAULT_SAR_ALERT_DAYS when unset. */
  subjectAccessAlertDays?: number;
}

/** An open record older than this many school days is "past review" on the DSLs' home unless the school chose otherwise. */
export const DEFAULT_REVIEW_AFTER_DAYS = 20;

/** A screen left open in a classroom is blanked after this long unless the school chose otherwise. */
export const DEFAULT_IDLE_HIDE_MINUTES = 5;

export interface AlertGroup {
  id: string;
  name: string;
  staffIds: string[];
}

export interface Pupil {
  /** Keepsafe's id for the pupil; derived from the school and UPN so re-imports update. */
  id: string;
  schoolId: string;
  upn: string;
  forename: string;
  surname: string;
  preferredName?: string;
  dateOfBirth: string;
  yearGroup: string;
  className: string;
  flags: PupilFlag[];
  archived: boolean;
}

export interface StaffMember {
  /** The staff member's Entra object id (oid claim). */
  id: string;
  schoolId: string;
  displayName: string;
  email: string;
  role: Role;
  /** Year groups or classes a head of year or phase leader holds their role for (staff.csv `scope`). */
  scope?: ScopeEntry[];
  active: boolean;
}

export const pupilDisplayName = (p: Pick<Pupil, "forename" | "surname" | "preferredName">) => `${p.preferredName || p.forename} ${p.surname}`;
