import type { Pupil } from "../../src/domain/school.js";

/** A pupil as the roll holds one, for pure redaction and naming tests that need no store. */
export const aPupil = (id: string, forename: string, surname: string, preferredName?: string): Pupil => ({
  id,
  schoolId: "s",
  upn: id,
  forename,
  surname,
  dateOfBirth: "2016-01-01",
  yearGroup: "Year 5",
  className: "5A",
  flags: [],
  archived: false,
  ...(preferredName ? { preferredName } : {}),
});
