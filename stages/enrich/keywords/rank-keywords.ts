import type { Article, Entity } from '../../article.js';
import type { TermStats } from '../stage.js';
import { documentTerms } from './document-terms.js';
import { keywordCandidates, type Candidate } from './candidates.js';
import { MIN_DOCUMENTS, rarity } from './rarity.js';

const K1 = 1.2;
const TITLE_WEIGHT = 2;
const ENTITY_BOOST = 1.5;
const PROPER_NAME_BOOST = 1.25;

interface Scored {
  readonly key: string;
  readonly display: string;
  readonly score: number;
}

/**
 * Ranked keywords and key phrases: candidates (words and stopword-bounded 2-3 word phrases, plus
 * the NER's names) scored by saturated term frequency (BM25's, k1 = 1.2; title occurrences count
 * double) times rarity. People, organisations and places are boosted 1.5x (other capitalised
 * names 1.25x when there are no frequencies). A phrase must occur twice, or in title and text, or
 * be an entity; a candidate overlapping a higher one ("amirabdollahian" under "hossein
 * amirabdollahian") is dropped. Lowercase unless mostly capitalised mid-sentence or an entity.
 */
export function rankKeywords(article: Pick<Article, 'title' | 'text' | 'language' | 'entities'>, terms: TermStats, limit: number): string[] {
  const counts = keywordCandidates(article.text, article.language);
  const title = keywordCandidates(article.title, article.language, true);
  const entities = entityNames(article.entities);
  const keys = new Set([...counts.keys(), ...title.keys(), ...entities.keys()]);
  const redundant = subsumed(counts);
  const scored: Scored[] = [];
  for (const key of keys) {
    const body = counts.get(key);
    const entity = entities.get(key);
    const inTitle = title.get(key)?.count ?? 0;
    const tf = Math.max(body?.count ?? 0, entity?.mentions ?? 0) + TITLE_WEIGHT * inTitle;
    const words = key.split(' ').length;
    if (words > 1 && !entity && ((body?.count ?? 0) < 2 && !(inTitle && body)) ) continue;
    if (redundant.has(key)) continue;
    const saturated = (tf * (K1 + 1)) / (tf + K1);
    const shown = display(key, body ?? title.get(key), entity);
    // Without document frequencies, a proper name is the best rarity hint there is.
    const name = !entity && terms.documents < MIN_DOCUMENTS && shown !== key ? PROPER_NAME_BOOST : 1;
    const score = saturated * rarity(key, terms, article.language) * (entity ? ENTITY_BOOST : name);
    scored.push({ key, display: shown, score });
  }
  scored.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  return pickDistinct(scored, limit);
}

/** Candidates a longer one contains every time they occur ("palestinian islamic" in "palestinian islamic jihad"). */
function subsumed(counts: ReadonlyMap<string, Candidate>): Set<string> {
  const out = new Set<string>();
  for (const c of counts.values()) {
    if (c.length < 2 || c.count < 2) continue;
    const parts = c.key.split(' ');
    for (let from = 0; from < parts.length; from++) {
      for (let to = from + 1; to <= parts.length; to++) {
        if (to - from === parts.length) continue;
        const sub = parts.slice(from, to).join(' ');
        if ((counts.get(sub)?.count ?? Infinity) <= c.count) out.add(sub);
      }
    }
  }
  return out;
}

function pickDistinct(scored: readonly Scored[], limit: number): string[] {
  const chosen: Scored[] = [];
  for (const s of scored) {
    if (chosen.length >= limit) break;
    if (chosen.some((c) => containsWords(c.key, s.key) || containsWords(s.key, c.key))) continue;
    chosen.push(s);
  }
  return chosen.map((c) => c.display);
}

function containsWords(outer: string, inner: string): boolean {
  return ` ${outer} `.includes(` ${inner} `);
}

function display(key: string, seen: Candidate | undefined, entity: Entity | undefined): string {
  if (entity) return entity.name;
  if (seen && seen.capitalised * 2 >= seen.count && seen.capitalised > 0) return seen.display;
  return key;
}

/**
 * Every key rankKeywords may look up in the term statistics for this article: its candidates and
 * its entity names. The pipeline fetches exactly these frequencies, not a whole table. `terms`:
 * the article's documentTerms, when the caller already has them.
 */
export function keywordLookupKeys(article: Pick<Article, 'title' | 'text' | 'language' | 'entities'>, terms: readonly string[] = documentTerms(article)): string[] {
  return [...new Set([...terms, ...entityNames(article.entities).keys()])];
}

function entityNames(entities: Article['entities']): Map<string, Entity> {
  const out = new Map<string, Entity>();
  if (!entities) return out;
  // Misc entities (nationalities, events) are too mixed a bag to boost.
  for (const e of [...entities.people, ...entities.organizations, ...entities.places]) {
    const key = e.name.toLowerCase().replace(/’/g, "'");
    const existing = out.get(key);
    if (!existing || existing.mentions < e.mentions) out.set(key, e);
  }
  return out;
}
