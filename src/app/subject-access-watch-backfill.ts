/**
 * Subject access requests opened before the deadline job existed have no watch, so the job never
 * alerts about them. The job's first run gives each open one (no released pack) its watch, due at
 * the first alert day from today, as if it had been opened with one. It is safe to repeat and to
 * run on two instances at once: the watch's id is the request's, created only if absent, so a
 * second run finds nothing to do and a race leaves one watch.
 */
import { calendarOf } from "../domain/school-calendar.js";
import { dateIn } from "../domain/school-clock.js";
import type { School } from "../domain/school.js";
import { sarDeadline } from "../domain/subject-access.js";
import { firstSarWatch } from "../domain/subject-access-watch.js";
import { childLogger } from "../logger.js";
import type { Clock } from "../ports/clock.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { SubjectAccessStore } from "../ports/subject-access-store.js";
import { alertDaysOf } from "./subject-access-requests.js";

const log = childLogger("subject-access-watch-backfill");

export interface SubjectAccessWatchBackfillDeps {
  subjectAccess: SubjectAccessStore;
  schools: SchoolStore;
  clock: Clock;
}

/** The number of watches it created (0 when every open request has one). */
export async function backfillSubjectAccessWatches(deps: SubjectAccessWatchBackfillDeps): Promise<{ created: number }> {
  const unwatched = await deps.subjectAccess.unwatchedOpenRequests();
  const now = deps.clock.now();
  const schools = new Map<string, School | undefined>();
  let created = 0;
  for (const { request, extensions } of unwatched) {
    if (!schools.has(request.schoolId)) schools.set(request.schoolId, await deps.schools.getSchool(request.schoolId));
    const school = schools.get(request.schoolId);
    // A school no longer served has no one to alert.
    if (!school) continue;
    const watch = firstSarWatch(
      request,
      calendarOf(school),
      sarDeadline(request.receivedOn, extensions.length > 0),
      dateIn(now, school.timeZone),
      alertDaysOf(school),
      school.timeZone,
    );
    if (await deps.subjectAccess.addWatch(watch)) created++;
  }
  if (unwatched.length) log.info({ event: "sar-watch.backfilled", found: unwatched.length, created }, "subject access watches backfilled");
  return { created };
}
