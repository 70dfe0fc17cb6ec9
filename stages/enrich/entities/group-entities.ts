import type { Entities, Entity } from '../../article.js';

/** One recognised mention: its surface text (from the article) and type. */
export interface Mention {
  readonly text: string;
  readonly type: 'PER' | 'ORG' | 'LOC' | 'MISC';
}

const words = (name: string): string[] => name.split(/\s+/);

/**
 * For each short person mention ("Haniyeh"), the one longer person name in the document that
 * ends or starts with it ("Ismail Haniyeh"). Ambiguous short forms (two Smiths) stay as they are.
 */
function personFullNames(mentions: readonly Mention[]): Map<string, string> {
  const full = [...new Set(mentions.filter((m) => m.type === 'PER').map((m) => m.text))];
  const fullWords = new Map(full.map((f) => [f, words(f)]));
  const out = new Map<string, string>();
  for (const short of new Set(mentions.map((m) => m.text))) {
    const sw = words(short);
    const longer = full.filter((f) => {
      const fw = fullWords.get(f)!;
      if (fw.length <= sw.length) return false;
      const tail = fw.slice(-sw.length).join(' ') === short;
      const head = fw.slice(0, sw.length).join(' ') === short;
      return tail || head;
    });
    const maximal = longer.filter((f) => !longer.some((g) => g !== f && g.includes(f)));
    if (maximal.length === 1) out.set(short, maximal[0]!);
  }
  return out;
}

/**
 * Groups mentions into entities per type: surname-only (or first-name-only) mentions of a person
 * count as mentions of the fullest form used in the article, even when the tagger typed the short
 * form as something else; each list is sorted by mentions, most first, then by first appearance.
 */
export function groupEntities(mentions: readonly Mention[]): Entities {
  const fullNames = personFullNames(mentions);
  const counts = { PER: new Map<string, number>(), ORG: new Map<string, number>(), LOC: new Map<string, number>(), MISC: new Map<string, number>() };
  for (const m of mentions) {
    const full = fullNames.get(m.text);
    const type = full !== undefined && (m.type === 'PER' || words(m.text).length === 1) ? 'PER' : m.type;
    const name = type === 'PER' ? full ?? m.text : m.text;
    counts[type].set(name, (counts[type].get(name) ?? 0) + 1);
  }
  const list = (map: Map<string, number>): Entity[] =>
    [...map].map(([name, n], i) => ({ name, mentions: n, i }))
      .sort((a, b) => b.mentions - a.mentions || a.i - b.i)
      .map(({ name, mentions: n }) => ({ name, mentions: n }));
  return { people: list(counts.PER), organizations: list(counts.ORG), places: list(counts.LOC), misc: list(counts.MISC) };
}
