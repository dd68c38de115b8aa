/**
 * The demo school local mode starts with. It is produced as the same two CSV files a school's MIS
 * exports and goes in through importSchool, so the demo exercises the real import path. Every name
 * is synthetic, drawn from small built-in lists with a seeded generator: the same run gives the
 * same school, and no real child is described.
 */
import { importSchool, type ImportReport } from "../app/import-school.js";
import { ENGLAND_TERM_DATES } from "../domain/england-term-dates.js";
import type { Role } from "../domain/roles.js";
import type { Clock } from "../ports/clock.js";
import type { SchoolStore } from "../ports/school-store.js";

export const DEMO_SCHOOL_ID = "demo-school";
export const DEMO_SCHOOL_NAME = "Oakfield Primary School (demo)";
const DEMO_EMAIL_DOMAIN = "oakfield-demo.example";

export interface DemoStaffMember {
  /** Entra object id; fixed so the local identity provider and the school agree across restarts. */
  oid: string;
  displayName: string;
  email: string;
  role: Role;
  /** What the sign-in picker shows, e.g. "DSL (head teacher)". */
  label: string;
  headTeacher?: boolean;
  /** staff.csv's scope: the year groups a head of year holds their role for. */
  scope?: string;
}

const staff = (oid: string, displayName: string, role: Role, label: string, headTeacher = false, scope = ""): DemoStaffMember => ({
  oid,
  displayName,
  email: `${displayName.toLowerCase().replace(/[^a-z]+/g, ".")}@${DEMO_EMAIL_DOMAIN}`,
  role,
  label,
  ...(headTeacher ? { headTeacher } : {}),
  ...(scope ? { scope } : {}),
});

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  staff("7d1c2b5e-3f4a-4c8e-9b21-0a6d5e4f3c21", "Helen Okafor", "DSL", "DSL (head teacher)", true),
  staff("2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842", "Tom Fairweather", "DDSL", "Deputy DSL"),
  staff("c4b83e70-1d2f-4e96-8a3b-5f7c9d0e1a63", "Priya Raman", "SLT", "SLT (deputy head)"),
  staff("5e0f7a24-9b3c-4d18-b6e5-2c8a1f4d7b94", "Gareth Hughes", "STAFF", "Teacher (Year 3)"),
  staff("91d4c6b8-2e7a-4f05-8c19-3b6e0a5d2f75", "Chloe Martin", "STAFF", "Teacher (Reception)"),
  staff("e8a2d519-6c0b-4a73-9f48-7d1e3c2b6a06", "Sam Whitfield", "STAFF", "Admin staff (school office)"),
  // A head of year: SLT for Year 5 only (standard records, search, chronology and reports of Year 5).
  staff("3f6b9d02-7a1e-4c58-b3d4-8e2f0a6c1b57", "Nadia Osei", "SLT", "Head of year (Year 5)", false, "year:5"),
];

const YEARS: { yearGroup: string; className: string; offset: number }[] = [
  { yearGroup: "Reception", className: "Robins", offset: 0 },
  { yearGroup: "Year 1", className: "Wrens", offset: 1 },
  { yearGroup: "Year 2", className: "Owls", offset: 2 },
  { yearGroup: "Year 3", className: "Kestrels", offset: 3 },
  { yearGroup: "Year 4", className: "Falcons", offset: 4 },
  { yearGroup: "Year 5", className: "Herons", offset: 5 },
  { yearGroup: "Year 6", className: "Eagles", offset: 6 },
];
const PUPILS_PER_YEAR = 29; // 7 x 29 = 203 pupils

const FORENAMES = [
  "Amelia",
  "Oliver",
  "Isla",
  "Noah",
  "Ava",
  "Muhammad",
  "Freya",
  "Leo",
  "Maya",
  "Arthur",
  "Zara",
  "Oscar",
  "Ivy",
  "Theo",
  "Aisha",
  "Jack",
  "Sofia",
  "Harry",
  "Ruby",
  "Kai",
  "Grace",
  "Yusuf",
  "Poppy",
  "Finley",
  "Amara",
  "Alexander",
  "Evie",
  "Benjamin",
  "Nia",
  "Samuel",
  "Elizabeth",
  "Rohan",
  "Matilda",
  "Kacper",
  "Lily",
  "Daniel",
  "Hana",
  "Reuben",
  "Esme",
  "Tomasz",
];
const SURNAMES = [
  "Smith",
  "Jones",
  "Williams",
  "Taylor",
  "Brown",
  "Davies",
  "Evans",
  "Wilson",
  "Thomas",
  "Johnson",
  "Roberts",
  "Khan",
  "Patel",
  "Wright",
  "Walker",
  "Hughes",
  "Green",
  "Lewis",
  "Begum",
  "Clarke",
  "Nowak",
  "Okoye",
  "Mensah",
  "Hall",
  "Ahmed",
  "Murphy",
  "O'Brien",
  "Kowalski",
  "Singh",
  "Campbell",
  "Ali",
  "Edwards",
  "Morgan",
  "Price",
  "Adeyemi",
  "Baker",
  "Shah",
  "Turner",
  "Ward",
  "Young",
];
const PREFERRED: Record<string, string> = {
  Alexander: "Alex",
  Benjamin: "Ben",
  Elizabeth: "Libby",
  Samuel: "Sam",
  Daniel: "Dan",
  Muhammad: "Mo",
};

/** Roughly the share of a primary school's roll carrying each flag, so reports have something to show. */
const FLAG_RATES: [flag: string, rate: number][] = [
  ["SEND", 0.15],
  ["PPG", 0.24],
  ["EAL", 0.18],
  ["LAC", 0.02],
  ["CP", 0.03],
  ["CIN", 0.04],
  ["YC", 0.03],
];

/** mulberry32: tiny, seeded, good enough for spreading synthetic names and flags. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

/** A well-formed UPN: the DfE check letter (weights 2..13, modulo 23) then 12 digits. */
export function upnWithCheckLetter(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i + 2);
  return `${UPN_CHECK_LETTERS[sum % 23]}${twelveDigits}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvLine = (fields: string[]) => fields.map(csvField).join(",");

/**
 * English school years run 1 September to 31 August; a Reception child turns 5 during the year.
 * Dates of birth follow from `now` so every child is always the right age for their year group.
 */
function dateOfBirth(rand: () => number, yearOffset: number, now: Date): string {
  const academicStart = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const from = Date.UTC(academicStart - 5 - yearOffset, 8, 1);
  const to = Date.UTC(academicStart - 4 - yearOffset, 7, 31);
  return new Date(from + Math.floor(rand() * ((to - from) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

export function demoSchoolCsv(now: Date = new Date()): { pupilsCsv: string; staffCsv: string } {
  const rand = seeded(20240901);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const pupilLines = [csvLine(["upn", "forename", "surname", "preferred_name", "date_of_birth", "year_group", "class", "flags"])];
  let serial = 0;
  for (const year of YEARS) {
    for (let i = 0; i < PUPILS_PER_YEAR; i++) {
      serial++;
      // LA 999 and establishment 9999 are not real; the year digits keep serials unique per intake.
      const upn = upnWithCheckLetter(`9999999${pad(20 + year.offset, 2)}${pad(serial, 3)}`);
      const forename = pick(FORENAMES);
      const flags = FLAG_RATES.filter(([, rate]) => rand() < rate).map(([flag]) => flag);
      const preferred = PREFERRED[forename] && rand() < 0.7 ? PREFERRED[forename] : "";
      pupilLines.push(
        csvLine([upn, forename, pick(SURNAMES), preferred, dateOfBirth(rand, year.offset, now), year.yearGroup, year.className, flags.join(";")]),
      );
    }
  }
  const staffLines = [
    csvLine(["aad_object_id", "display_name", "email", "role", "head_teacher", "scope"]),
    ...DEMO_STAFF.map((s) => csvLine([s.oid, s.displayName, s.email, s.role, s.headTeacher ? "yes" : "", s.scope ?? ""])),
  ];
  return { pupilsCsv: `${pupilLines.join("\r\n")}\r\n`, staffCsv: `${staffLines.join("\r\n")}\r\n` };
}

/** Imports the demo school once; later starts find it and leave it (and any records) as they are. */
export async function ensureDemoSchool(schools: SchoolStore, clock?: Clock): Promise<ImportReport | undefined> {
  if (await schools.getSchool(DEMO_SCHOOL_ID)) return undefined;
  const { pupilsCsv, staffCsv } = demoSchoolCsv(clock?.now());
  const report = await importSchool({ schools, clock }, { schoolId: DEMO_SCHOOL_ID, schoolName: DEMO_SCHOOL_NAME, pupilsCsv, staffCsv });
  // The demo school keeps England's term dates, as a school would set its own in setup.
  const school = await schools.getSchool(DEMO_SCHOOL_ID);
  if (school && !school.calendar) await schools.saveSchool({ ...school, calendar: structuredClone(ENGLAND_TERM_DATES) });
  return report;
}
