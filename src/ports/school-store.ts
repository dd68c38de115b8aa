import type { Pupil, School, StaffMember } from "../domain/school.js";

/** The school's setup, pupils and staff: written by import and setup, read everywhere. */
export interface SchoolStore {
  getSchool(schoolId: string): Promise<School | undefined>;
  listSchools(): Promise<School[]>;
  saveSchool(school: School): Promise<void>;
  listPupils(schoolId: string): Promise<Pupil[]>;
  getPupil(schoolId: string, pupilId: string): Promise<Pupil | undefined>;
  /** The pupils among `pupilIds` that exist, in one read of the school's roll partition. */
  getPupils(schoolId: string, pupilIds: string[]): Promise<Pupil[]>;
  /** Creates or updates by id; safe to re-run. */
  upsertPupils(schoolId: string, pupils: Pupil[]): Promise<void>;
  listStaff(schoolId: string): Promise<StaffMember[]>;
  getStaff(schoolId: string, staffId: string): Promise<StaffMember | undefined>;
  /** Staff are found by their Entra object id alone when a token arrives. */
  findStaffById(staffId: string): Promise<StaffMember | undefined>;
  upsertStaff(schoolId: string, staff: StaffMember[]): Promise<void>;
}
