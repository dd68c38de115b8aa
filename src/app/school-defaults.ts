/**
 * What a school starts with when its first MIS import creates it, and how the staff file decides
 * who is in the three standard alert groups. A school edits categories and locations later.
 */
import { DEFAULT_CATEGORIES } from "../domain/categories.js";
import type { Role } from "../domain/roles.js";
import type { AlertGroup, School, StaffMember } from "../domain/school.js";

export const DEFAULT_TIME_ZONE = "Europe/London";

export const DEFAULT_LOCATIONS = [
  "Classroom",
  "Playground",
  "Dining hall",
  "Corridor",
  "Toilets",
  "Hall",
  "Changing rooms",
  "School office",
  "Before/after-school club",
  "School trip",
  "Online",
  "Outside school",
] as const;

export const ALERT_GROUP_IDS = {
  safeguardingTeam: "safeguarding-team",
  slt: "slt",
  headOfSchool: "head-of-school",
} as const;

/** The groups whose membership follows the staff file; roles decide the first two. */
const ROLE_GROUPS: { id: string; name: string; roles: Role[] }[] = [
  { id: ALERT_GROUP_IDS.safeguardingTeam, name: "Safeguarding team", roles: ["DSL", "DDSL"] },
  { id: ALERT_GROUP_IDS.slt, name: "SLT", roles: ["SLT"] },
];
const HEAD_OF_SCHOOL_NAME = "Head of School";

export function newSchool(schoolId: string, name: string): School {
  return {
    id: schoolId,
    name,
    timeZone: DEFAULT_TIME_ZONE,
    // A deep copy: the school edits its own tree, and the shared default must never change with it.
    categories: structuredClone(DEFAULT_CATEGORIES),
    locations: [...DEFAULT_LOCATIONS],
    alertGroups: [
      ...ROLE_GROUPS.map((g) => ({ id: g.id, name: g.name, staffIds: [] })),
      { id: ALERT_GROUP_IDS.headOfSchool, name: HEAD_OF_SCHOOL_NAME, staffIds: [] },
    ],
  };
}

/**
 * Rebuilds the standard groups from the imported staff. The Head of School group follows the
 * optional head_teacher column; without it the school's current head (if any) stays. Other groups
 * the school made itself are left alone.
 */
export function withAlertGroupsFromStaff(school: School, staff: StaffMember[], headTeacherIds?: string[]): School {
  const active = staff.filter((s) => s.active);
  const headIds = headTeacherIds ?? (school.headTeacherStaffId ? [school.headTeacherStaffId] : []);
  const computed: AlertGroup[] = [
    ...ROLE_GROUPS.map((g) => ({
      id: g.id,
      name: g.name,
      staffIds: active
        .filter((s) => g.roles.includes(s.role))
        .map((s) => s.id)
        .sort(),
    })),
    { id: ALERT_GROUP_IDS.headOfSchool, name: HEAD_OF_SCHOOL_NAME, staffIds: [...headIds].sort() },
  ];
  const computedIds = new Set(computed.map((g) => g.id));
  const existing = school.alertGroups.filter((g) => !computedIds.has(g.id));
  const updated: School = { ...school, alertGroups: [...computed, ...existing] };
  if (headTeacherIds) {
    // The file says who the head is now; nobody marked means the school has no head on record.
    if (headTeacherIds[0]) updated.headTeacherStaffId = headTeacherIds[0];
    else delete updated.headTeacherStaffId;
  }
  return updated;
}
