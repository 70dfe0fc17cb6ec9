import { stopwords } from '../text/stopwords.js';
import type { Person } from './people.js';

/** Who a subject phrase refers to: a known person, a name the index lacks, or nobody. */
export type Referent = { kind: 'person'; person: Person } | { kind: 'name'; name: string } | { kind: 'none' };

const PRONOUN = /^(?:he|she)$/i;
const PARTICLE = /^(?:al|el|bin|ibn|de|da|del|der|di|du|la|le|van|von|dos|das)(?:-|$)/;
const ACRONYM = /^\p{Lu}{2,4}$/u;

/** True when every word is capitalised or a name particle ("Ziyad al-Nakhaleh", "al-Nakhaleh", "Ursula von der Leyen"). */
export function isNameLike(phrase: string): boolean {
  const words = phrase.split(/\s+/);
  return words.length <= 5 && words.some((w) => /\p{Lu}/u.test(w)) && words.every((w) => /^\p{Lu}/u.test(w) || PARTICLE.test(w));
}

/**
 * Resolves a subject phrase: a pronoun is left to the caller (it needs the discourse), a name
 * matches a person by full name, surname or a subset of name words ("Haniyeh"), and a
 * descriptor ("the Iranian FM", "the secretary-general of …") matches the person whose mentions
 * are surrounded by its head word, acronyms matching initials ("FM": "Foreign Minister").
 */
export function resolveSubject(subject: string, people: readonly Person[]): Referent | 'pronoun' {
  // "the mayor, Jane Doe,": each part of an apposition names the same speaker; a person wins.
  const parts = subject.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length > 1) {
    const referents = parts.map((p) => resolvePhrase(p, people));
    return (
      referents.find((r) => r !== 'pronoun' && r.kind === 'person') ??
      referents.find((r) => r === 'pronoun') ??
      referents.find((r) => r !== 'pronoun' && r.kind === 'name') ?? { kind: 'none' }
    );
  }
  return resolvePhrase(subject, people);
}

function resolvePhrase(subject: string, people: readonly Person[]): Referent | 'pronoun' {
  const phrase = subject.replace(/^(?:the|a|an)\s+/i, '').trim();
  // "the Iranian FM" is a description even when capitalised; only bare names stand as names.
  const described = phrase !== subject.trim();
  if (!phrase) return { kind: 'none' };
  if (PRONOUN.test(phrase)) return 'pronoun';
  if (isNameLike(phrase)) {
    const person = byName(phrase, people);
    if (person) return { kind: 'person', person };
  }
  const match = byDescription(phrase, people);
  if (match) return { kind: 'person', person: match };
  // An unknown single capitalised word is as often "Officials" or "Police" as a surname: not a name.
  return !described && isNameLike(phrase) && phrase.includes(' ') ? { kind: 'name', name: phrase } : { kind: 'none' };
}

/** The person whose name holds the phrase's words, or its trailing words ("President Joe Biden", "Mr. Smith"). */
function byName(phrase: string, people: readonly Person[]): Person | undefined {
  const words = phrase.toLowerCase().replace(/\./g, '').split(/\s+/);
  for (let from = 0; from < words.length; from++) {
    const tail = words.slice(from);
    let best: Person | undefined;
    for (const p of people) {
      const names = p.name.toLowerCase().split(/\s+/);
      if (!tail.every((w) => names.includes(w))) continue;
      // The fullest name wins ("Ismail Haniyeh" over an entity "Haniyeh"), then the most mentioned.
      if (!best || names.length > wordCount(best.name) || (names.length === wordCount(best.name) && p.mentions > best.mentions)) best = p;
    }
    if (best) return best;
  }
  return undefined;
}

function wordCount(name: string): number {
  return name.split(/\s+/).length;
}

function byDescription(phrase: string, people: readonly Person[]): Person | undefined {
  const head = headWords(phrase);
  if (head.length === 0) return undefined;
  let best: Person | undefined;
  let bestScore = 0;
  for (const p of people) {
    if (!head.some((w) => matches(w, p))) continue;
    const score = contentWords(phrase).filter((w) => matches(w, p)).length;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

/** The role word(s): "secretary-general" in "the secretary-general of the Palestinian …", "FM" in "Iranian FM". */
function headWords(phrase: string): string[] {
  const core = phrase.split(/\s+of\s+/i)[0]!.split(/\s+/);
  const last = core[core.length - 1]!;
  return ACRONYM.test(last) ? [last] : last.toLowerCase().split('-');
}

function contentWords(phrase: string): string[] {
  return phrase
    .split(/\s+/)
    .filter((w) => !stopwords('en').has(w.toLowerCase()))
    .flatMap((w) => (ACRONYM.test(w) ? [w] : w.toLowerCase().split('-')));
}

function matches(word: string, person: Person): boolean {
  return ACRONYM.test(word) ? person.initials.includes(word) : person.context.has(word);
}
