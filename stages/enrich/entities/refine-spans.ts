import { bioSpans } from './bio-spans.js';
import { GAZ_LOC, GAZ_ORG } from './gazetteer.js';
import { normaliseToken } from './normalise-token.js';
import type { FeatureResources } from './token-features.js';

/** Which span rules run (all by default; scripts/ner-dev.ts scores them one by one). */
export interface RefineRules {
  /** "Justice Scalia" -> "Scalia": a person span loses leading title words. */
  readonly titles?: boolean;
  /** A listed place tagged as an organisation on its own becomes a place ("North Korea"). */
  readonly places?: boolean;
  /** "British Library and Columbia University" -> two organisations. */
  readonly coordination?: boolean;
  /** "Asia-Pacific Economic Cooperation ( APEC )": the acronym is an organisation, there and elsewhere. */
  readonly acronyms?: boolean;
  /** "Brampton City Council", "Chicago Sun-Times" tagged as places become organisations. */
  readonly heads?: boolean;
}

const ALL: Required<RefineRules> = { titles: true, places: true, coordination: true, acronyms: true, heads: true };
/**
 * Organisation head words that also end place and building names ("West Bank", "Rockefeller
 * Center", "Soviet Union", "British Museum"): a place ending in one stays a place. In the
 * training data, names of two or more words ending in an organisation word are ORG 347 times
 * and LOC 48, and these head words account for 45 of the 48.
 */
const PLACE_HEADS = new Set(['Bank', 'Center', 'Centre', 'Museum', 'Reserve', 'Union', 'Front', 'Division', 'Office', 'Club',
  'Force', 'Church', 'Mission', 'Court', 'Hospital', 'School', 'Library', 'Exchange', 'Party', 'Program', 'Project', 'Games',
  'Energy', 'Chronicle', 'Band', 'Team', 'Daily', 'Weekly']);
const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);
/** Function words after a place name that leave it a place ("in Sweden and ...", "Tokyo 's"). */
const LINKS = new Set([
  'and', 'or', 'but', 'nor', 'in', 'on', 'at', 'to', 'from', 'for', 'of', 'with', 'by', 'into', 'onto', 'as', 'than',
  'near', 'over', 'under', 'across', 'through', 'throughout', 'since', 'until', 'during', 'after', 'before', 'via',
  "'s", "'", 'where', 'which', 'while', 'when',
]);
/**
 * A place name followed by a lower-case word that is not a function word is likely the subject
 * of a verb ("South Korea evacuated", "Sweden defeated"), where news text names the state or
 * team as an organisation; the tagger's ORG is kept there.
 */
const actsAsSubject = (words: readonly string[], end: number): boolean => {
  const next = words[end];
  return next !== undefined && /^\p{Ll}/u.test(next) && !LINKS.has(next);
};

/**
 * Span fixes after tagging, for errors of the tagger that follow general naming conventions:
 * - a title before a person's name is not part of the name (the training data marks "Justice
 *   Scalia" as PER "Scalia" 133 times to 7), yet the tagger often swallows it;
 * - a name the place lists know, and the organisation lists do not, tagged ORG as a whole span
 *   is a place ("Tokyo 's", "for Sweden and Poland"), unless it reads as the subject of a verb;
 * - two organisations joined by "and" ("the Court and National Assembly", "Wikimedia Foundation
 *   and Creative Commons") are two names when the part before "and" ends in an organisation
 *   word ("Newfoundland and Labrador Court of Appeal" stays whole);
 * - an acronym defined in brackets after an organisation ("Asia-Pacific Economic Cooperation
 *   ( APEC )") is that organisation, there and wherever the tagger gave it another type;
 * - a place of two or more words ending in an organisation head word ("Brampton City Council",
 *   "Chicago Sun-Times") is an organisation named after the place.
 * Returns new tag lists.
 */
export function refineSpans(
  rawSentences: readonly (readonly string[])[],
  tags: readonly (readonly string[])[],
  res: Pick<FeatureResources, 'gazetteer'>,
  rules: RefineRules = ALL,
): string[][] {
  const gaz = res.gazetteer;
  const acronyms = rules.acronyms ? definedAcronyms(rawSentences, tags) : new Map<string, string>();
  return tags.map((t0, i) => {
    const t = acronyms.size > 0 ? typeAcronyms(rawSentences[i]!, t0, acronyms) : t0;
    const words = rawSentences[i]!.map(normaliseToken);
    const out = [...t];
    const fill = (k: number, end: number, type: string): void => {
      for (let j = k; j < end; j++) out[j] = `${j === k ? 'B' : 'I'}-${type}`;
    };
    for (const sp of bioSpans(t)) {
      const n = sp.end - sp.start;
      if (rules.titles && sp.type === 'PER' && n >= 2) {
        let k = sp.start;
        while (k < sp.end - 1 && isCap(words[k]!) && gaz.titles.has(words[k]!)) k++;
        if (k > sp.start) {
          for (let j = sp.start; j < k; j++) out[j] = 'O';
          fill(k, sp.end, 'PER');
        }
        continue;
      }
      if (rules.heads && sp.type === 'LOC' && n >= 2) {
        const last = words[sp.end - 1]!;
        const head = last.slice(last.lastIndexOf('-') + 1);
        if (isCap(head) && gaz.orgWords.has(head) && !PLACE_HEADS.has(head)) fill(sp.start, sp.end, 'ORG');
        continue;
      }
      if (sp.type !== 'ORG') continue;
      const bits = gaz.phrases.get(words.slice(sp.start, sp.end).join(' ')) ?? 0;
      if (rules.places && (bits & GAZ_LOC) !== 0 && (bits & GAZ_ORG) === 0 && !actsAsSubject(words, sp.end)) {
        fill(sp.start, sp.end, 'LOC');
      } else if (rules.coordination && n >= 3) {
        const and = words.indexOf('and', sp.start + 1);
        if (and > sp.start && and < sp.end - 1 && isCap(words[and + 1]!) && gaz.orgWords.has(words[and - 1]!)) {
          out[and] = 'O';
          fill(sp.start, and, 'ORG');
          fill(and + 1, sp.end, 'ORG');
        }
      }
    }
    return out;
  });
}

const ACRONYM = /^\p{Lu}[\p{Lu}&]{1,5}$/u;

/**
 * Schwartz & Hearst (2003): an acronym abbreviates a long form when its letters are found in
 * order, backwards, in the long form, the first one at the start of a word.
 */
export function abbreviates(acronym: string, longForm: readonly string[]): boolean {
  const letters = acronym.toLowerCase().replace(/[^\p{L}]/gu, '');
  const text = longForm.join(' ').toLowerCase();
  let j = text.length - 1;
  for (let k = letters.length - 1; k >= 0; k--) {
    const c = letters[k]!;
    while (j >= 0 && (text[j] !== c || (k === 0 && j > 0 && /\p{L}/u.test(text[j - 1]!)))) j--;
    if (j < 0) return false;
    j--;
  }
  return true;
}

/**
 * Acronyms defined in brackets right after an organisation ("... Cooperation ( APEC )"). Other
 * types are left alone: a mistyped long form would carry its error to every use.
 */
function definedAcronyms(sentences: readonly (readonly string[])[], tags: readonly (readonly string[])[]): Map<string, string> {
  const out = new Map<string, string>();
  tags.forEach((t, i) => {
    const w = sentences[i]!;
    for (const sp of bioSpans(t)) {
      const acr = w[sp.end + 1];
      if (sp.type !== 'ORG' || sp.end - sp.start < 2 || w[sp.end] !== '(' || w[sp.end + 2] !== ')' || !acr || !ACRONYM.test(acr)) continue;
      if (abbreviates(acr, w.slice(sp.start, sp.end))) out.set(acr, sp.type);
    }
  });
  return out;
}

/**
 * A defined acronym tagged on its own as another type takes the type of its long form, as does
 * the definition itself; untagged uses elsewhere stay untagged (the tagger often rightly leaves
 * out a technical term's acronym).
 */
function typeAcronyms(words: readonly string[], t: readonly string[], acronyms: ReadonlyMap<string, string>): string[] {
  const out = [...t];
  words.forEach((w, k) => {
    const type = acronyms.get(w);
    if (!type || t[k + 1]?.startsWith('I-')) return;
    const defined = words[k - 1] === '(' && words[k + 1] === ')' && t[k - 2]?.slice(2) === type;
    if (t[k]!.startsWith('B-') || (t[k] === 'O' && defined)) out[k] = `B-${type}`;
  });
  return out;
}
