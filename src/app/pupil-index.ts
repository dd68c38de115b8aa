/**
 * The pupil typeahead, answered from memory: a school's pupil list is small (a few thousand) and
 * changes only on import. Each search costs one point read of the school, whose roster version
 * tells whether an import (from this process or the CLI in another) means the list must reload.
 */
import type { Actor } from "../domain/actor.js";
import { pupilFlagsShown } from "../domain/policy/index.js";
import type { Pupil, PupilFlag } from "../domain/school.js";
import { pupilDisplayName } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";

export interface PupilSummary {
  id: string;
  displayName: string;
  yearGroup: string;
  className: string;
  flags: PupilFlag[];
}

interface IndexedPupil {
  summary: PupilSummary;
  /** Lower-cased name words: forename, preferred name, surname. */
  words: string[];
  full: string;
}

/** Every flag the school holds: stays inside the index; what leaves the server goes through shownTo. */
const toPupilSummary = (p: Pupil): PupilSummary => ({
  id: p.id,
  displayName: pupilDisplayName(p),
  yearGroup: p.yearGroup,
  className: p.className,
  flags: p.flags,
});

/** A pupil as the actor may know them: flags only as the policy allows (pupilFlagsShown: visiblePupilFlags within a scope). */
export const shownTo = (actor: Actor, summary: PupilSummary): PupilSummary => ({ ...summary, flags: pupilFlagsShown(actor, summary) });
export const pupilSummaryFor = (actor: Actor, pupil: Pupil): PupilSummary => shownTo(actor, toPupilSummary(pupil));

const normalise = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();

export class PupilIndex {
  private readonly bySchool = new Map<string, { version: string; pupils: IndexedPupil[] }>();
  private readonly building = new Map<string, Promise<IndexedPupil[]>>();

  constructor(private readonly schools: SchoolStore) {}

  /**
   * Pupils whose name words start with every word typed, best matches first; archived pupils never
   * appear. The summaries hold every flag: KeepsafeService gives them out only through shownTo.
   */
  async search(schoolId: string, query: string, top: number, keep: (p: PupilSummary) => boolean = () => true): Promise<PupilSummary[]> {
    const terms = normalise(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return [];
    const pupils = await this.pupils(schoolId);
    const scored: { score: number; p: IndexedPupil }[] = [];
    for (const p of pupils) {
      // Left out before ranking, so a scoped reader still gets their best `top` matches.
      if (!keep(p.summary)) continue;
      let score = 0;
      for (const t of terms) {
        const wordHit = p.words.findIndex((w) => w.startsWith(t));
        if (wordHit >= 0) score += wordHit === 0 ? 3 : 2;
        else if (p.full.includes(t)) score += 1;
        else {
          score = -1;
          break;
        }
      }
      if (score > 0) scored.push({ score, p });
    }
    scored.sort((a, b) => b.score - a.score || a.p.summary.displayName.localeCompare(b.p.summary.displayName));
    return scored.slice(0, top).map((s) => s.p.summary);
  }

  /** The named pupils that are on the roll, in the order asked; unknown or archived ids are left out. */
  async byIds(schoolId: string, ids: readonly string[]): Promise<PupilSummary[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.pupils(schoolId)).map((p) => [p.summary.id, p.summary]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The ids of the pupils on the roll that `which` picks (a scope resolved at sign-in). */
  async idsWhere(schoolId: string, which: (p: PupilSummary) => boolean): Promise<Set<string>> {
    return new Set((await this.pupils(schoolId)).filter((p) => which(p.summary)).map((p) => p.summary.id));
  }

  private async pupils(schoolId: string): Promise<IndexedPupil[]> {
    const version = (await this.schools.getSchool(schoolId))?.rosterVersion ?? "none";
    const cached = this.bySchool.get(schoolId);
    if (cached && cached.version === version) return cached.pupils;
    const key = `${schoolId}\u0000${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(schoolId, version).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  private async build(schoolId: string, version: string): Promise<IndexedPupil[]> {
    const pupils = (await this.schools.listPupils(schoolId))
      .filter((p) => !p.archived)
      .map((p) => {
        const words = [p.forename, p.preferredName ?? "", p.surname].map(normalise).filter(Boolean);
        return { summary: toPupilSummary(p), words, full: words.join(" ") };
      });
    this.bySchool.set(schoolId, { version, pupils });
    return pupils;
  }
}
