/**
 * The pupil typeahead, answered from memory: a school's pupil list is small (a few thousand)
 * and changes only on import, so one store read per school feeds every keystroke until the
 * index is invalidated or goes stale.
 */
import type { Pupil, PupilFlag } from "../domain/school.js";
import { pupilDisplayName } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";

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

const STALE_AFTER_MS = 60_000;

export const toPupilSummary = (p: Pupil): PupilSummary => ({
  id: p.id,
  displayName: pupilDisplayName(p),
  yearGroup: p.yearGroup,
  className: p.className,
  flags: p.flags,
});

const normalise = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();

export class PupilIndex {
  private readonly bySchool = new Map<string, { builtAt: number; pupils: IndexedPupil[] }>();
  private readonly building = new Map<string, Promise<IndexedPupil[]>>();

  constructor(private readonly schools: SchoolStore, private readonly clock: Clock) {}

  invalidate(schoolId?: string) {
    if (schoolId) this.bySchool.delete(schoolId);
    else this.bySchool.clear();
  }

  /** Pupils whose name words start with every word typed, best matches first; archived pupils never appear. */
  async search(schoolId: string, query: string, top: number): Promise<PupilSummary[]> {
    const terms = normalise(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return [];
    const pupils = await this.pupils(schoolId);
    const scored: { score: number; p: IndexedPupil }[] = [];
    for (const p of pupils) {
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

  private async pupils(schoolId: string): Promise<IndexedPupil[]> {
    const cached = this.bySchool.get(schoolId);
    if (cached && this.clock.now().getTime() - cached.builtAt < STALE_AFTER_MS) return cached.pupils;
    let pending = this.building.get(schoolId);
    if (!pending) {
      pending = this.build(schoolId).finally(() => this.building.delete(schoolId));
      this.building.set(schoolId, pending);
    }
    return pending;
  }

  private async build(schoolId: string): Promise<IndexedPupil[]> {
    const builtAt = this.clock.now().getTime();
    const pupils = (await this.schools.listPupils(schoolId))
      .filter((p) => !p.archived)
      .map((p) => {
        const words = [p.forename, p.preferredName ?? "", p.surname].map(normalise).filter(Boolean);
        return { summary: toPupilSummary(p), words, full: words.join(" ") };
      });
    this.bySchool.set(schoolId, { builtAt, pupils });
    return pupils;
  }
}
