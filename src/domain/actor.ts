import type { Role } from "./roles.js";
import type { AuditSource } from "./incident.js";

/** The signed-in member of staff, as resolved from a validated token and the school's staff list. */
export interface Actor {
  staffId: string;
  schoolId: string;
  name: string;
  role: Role;
  /** Whether the sign-in passed a second factor (amr contains "mfa" or the auth context was met). */
  mfa: boolean;
  /**
   * A scoped member of staff (a head of year): the pupils their scope covers, resolved at sign-in.
   * Absent for everyone else, who are not narrowed to any pupils (policy/scope.ts).
   */
  scopePupilIds?: ReadonlySet<string>;
  /** The door they came through (bot, tab, cli, job), kept on each audit event. */
  via?: AuditSource;
}
