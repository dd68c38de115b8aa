/**
 * The titles a member of staff was just shown in the pupil typeahead, kept briefly in memory.
 * A Teams choice set sends back only the chosen pupil's id, and the service has no
 * "pupil by id" call for staff without browsing rights, so this is how the confirmation and a
 * re-shown form can name the child. Bounded and short-lived: it is a display aid, not a store,
 * and a miss falls back to neutral wording.
 */
const TTL_MS = 30 * 60 * 1000;
const MAX_ENTRIES = 2_000;

export class RecentPupils {
  private readonly titles = new Map<string, { title: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(staffId: string, pupils: { id: string; title: string }[]) {
    for (const p of pupils) {
      const key = `${staffId}\u0000${p.id}`;
      this.titles.delete(key); // re-insert so the Map's order stays oldest-first
      this.titles.set(key, { title: p.title, at: this.now() });
    }
    while (this.titles.size > MAX_ENTRIES) this.titles.delete(this.titles.keys().next().value!);
  }

  titleFor(staffId: string, pupilId: string): string | undefined {
    const hit = this.titles.get(`${staffId}\u0000${pupilId}`);
    if (!hit || this.now() - hit.at > TTL_MS) return undefined;
    return hit.title;
  }
}
