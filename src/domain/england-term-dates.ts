/**
 * Term dates most English local authorities set for 2025/26 and 2026/27, with the bank holidays
 * that fall inside them (those in the holidays need no listing). The demo school starts with
 * these; a real school sets its own in school setup, INSET days included (they vary by school).
 * Checked against the calendar: every term starts and ends on a weekday, every half term runs
 * Monday to Friday, and Good Friday 2027 (26 March) is the spring term's last day, so it is listed.
 */
import type { SchoolCalendar } from "./school-calendar.js";

export const ENGLAND_TERM_DATES: SchoolCalendar = {
  terms: [
    { name: "Autumn term", firstDay: "2025-09-03", lastDay: "2025-12-19" },
    { name: "Spring term", firstDay: "2026-01-05", lastDay: "2026-03-27" },
    { name: "Summer term", firstDay: "2026-04-13", lastDay: "2026-07-22" },
    { name: "Autumn term", firstDay: "2026-09-02", lastDay: "2026-12-18" },
    { name: "Spring term", firstDay: "2027-01-05", lastDay: "2027-03-26" },
    { name: "Summer term", firstDay: "2027-04-12", lastDay: "2027-07-21" },
  ],
  nonSchoolDays: [
    { name: "Autumn half term", kind: "half-term", firstDay: "2025-10-27", lastDay: "2025-10-31" },
    { name: "Spring half term", kind: "half-term", firstDay: "2026-02-16", lastDay: "2026-02-20" },
    { name: "Early May bank holiday", kind: "bank-holiday", firstDay: "2026-05-04", lastDay: "2026-05-04" },
    // The spring bank holiday (25 May 2026) falls in it.
    { name: "Summer half term", kind: "half-term", firstDay: "2026-05-25", lastDay: "2026-05-29" },
    { name: "Autumn half term", kind: "half-term", firstDay: "2026-10-26", lastDay: "2026-10-30" },
    { name: "Spring half term", kind: "half-term", firstDay: "2027-02-15", lastDay: "2027-02-19" },
    { name: "Good Friday", kind: "bank-holiday", firstDay: "2027-03-26", lastDay: "2027-03-26" },
    { name: "Early May bank holiday", kind: "bank-holiday", firstDay: "2027-05-03", lastDay: "2027-05-03" },
    // The spring bank holiday (31 May 2027) falls in it.
    { name: "Summer half term", kind: "half-term", firstDay: "2027-05-31", lastDay: "2027-06-04" },
  ],
};
