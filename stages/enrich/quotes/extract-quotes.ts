import type { Quote } from '../../article.js';
import { splitSentences, type Sentence } from '../text/sentences.js';
import { findQuoteSpans, type QuoteSpan } from './quote-spans.js';
import { attributionAfter, attributionBefore, isVerbLike, type Attribution } from './speech.js';
import { indexPeople, type Person } from './people.js';
import { resolveSubject } from './resolve-speaker.js';
import { discoverSpeakers } from './discover-speakers.js';

/** A person in subject position at an offset: what "he" and "she" refer back to. */
interface SubjectEvent {
  readonly at: number;
  readonly person: Person;
}

/** Quotes shorter than this are scare quotes or titles ("the resistance"), not statements. */
const MIN_QUOTE_WORDS = 4;
/** A name opening a sentence starts within this many characters ("Prime Minister Ana Ruiz"). */
const OPENER_CHARS = 40;
/** Attribution verbs sit within this many characters before a quote; bounding it keeps odd, sentence-less text linear. */
const BEFORE_CHARS = 400;

/**
 * Direct quotations and their speakers. The speaker comes from the attribution right after the
 * quote, else from the last speech verb before it in its sentence; pronouns go back to the last
 * person in subject position (sentence openers, earlier speakers), skipping whoever was "told".
 * `people` are the NER's full names; without them, names next to speech verbs stand in.
 * A quote with no attribution is kept only when it is a whole sentence, for the previous speaker.
 */
export function extractQuotes(text: string, people: readonly { name: string; mentions: number }[] | null): Quote[] {
  const spans = findQuoteSpans(text).filter((s) => s.text.split(/\s+/).length >= MIN_QUOTE_WORDS);
  if (spans.length === 0) return [];
  const sentences = splitSentences(text);
  const index = indexPeople(text, people ?? discoverSpeakers(text));
  const events = openingSubjects(sentences, index);
  const out: Quote[] = [];
  let previous: { speaker: string | null; paragraph: number } | null = null;
  for (const span of spans) {
    const opening = sentenceAt(sentences, span.open);
    const closing = sentenceAt(sentences, span.close - 1);
    const after = closing ? text.slice(span.close, Math.min(span.close + BEFORE_CHARS, Math.max(span.close, closing.end))) : '';
    const before = opening ? text.slice(Math.max(opening.start, span.open - BEFORE_CHARS), span.open) : '';
    const speaker = attribute(span, [attributionAfter(after), attributionBefore(before)], index, events);
    const paragraph = opening?.paragraph ?? 0;
    if (speaker !== undefined) {
      out.push({ text: span.text, speaker });
    } else if (!before.trim() && !/\p{L}/u.test(after)) {
      const carried = previous && paragraph - previous.paragraph <= 1 ? previous.speaker : null;
      out.push({ text: span.text, speaker: carried });
    } else {
      continue;
    }
    previous = { speaker: out[out.length - 1]!.speaker, paragraph };
  }
  return out;
}

/** The speaker's fullest name, null when the attribution names nobody we can identify, undefined when there is no attribution. */
function attribute(span: QuoteSpan, attributions: readonly (Attribution | null)[], people: readonly Person[], events: SubjectEvent[]): string | null | undefined {
  let fallback: string | null | undefined;
  for (const a of attributions) {
    if (!a) continue;
    if (fallback === undefined) fallback = null;
    const referent = resolveSubject(a.subject, people);
    const addressee = a.addressee ? resolveSubject(a.addressee, people) : null;
    const excluded = addressee && addressee !== 'pronoun' && addressee.kind === 'person' ? addressee.person : undefined;
    const person = referent === 'pronoun' ? focusAt(events, span.open, excluded) : referent.kind === 'person' ? referent.person : undefined;
    if (person) {
      insertEvent(events, { at: span.open, person });
      return person.name;
    }
    if (fallback === null && referent !== 'pronoun' && referent.kind === 'name') fallback = referent.name;
  }
  return fallback;
}

function focusAt(events: readonly SubjectEvent[], at: number, excluded: Person | undefined): Person | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.at < at && e.person !== excluded) return e.person;
  }
  return undefined;
}

function insertEvent(events: SubjectEvent[], event: SubjectEvent): void {
  let i = events.length;
  while (i > 0 && events[i - 1]!.at > event.at) i--;
  events.splice(i, 0, event);
}

/**
 * People in subject position at sentence starts: a name within the first three words
 * ("President Joe Biden said"), or a descriptor up to the verb ("The Iranian FM spoke").
 */
function openingSubjects(sentences: readonly Sentence[], people: readonly Person[]): SubjectEvent[] {
  const events: SubjectEvent[] = [];
  for (const s of sentences) {
    const named = firstNamed(s, people);
    if (named) {
      events.push({ at: s.start, person: named });
      continue;
    }
    const words = s.text.split(/\s+/);
    if (!/^the$/i.test(words[0] ?? '')) continue;
    const verb = words.findIndex((w, i) => i > 1 && i <= 10 && isVerbLike(w));
    if (verb < 0) continue;
    const referent = resolveSubject(words.slice(0, verb).join(' '), people);
    if (referent !== 'pronoun' && referent.kind === 'person') events.push({ at: s.start, person: referent.person });
  }
  return events;
}

function firstNamed(s: Sentence, people: readonly Person[]): Person | undefined {
  let best: Person | undefined;
  let bestAt = Infinity;
  for (const p of people) {
    for (const at of p.positions) {
      if (at < s.start || at > s.start + OPENER_CHARS || at >= bestAt || s.text.slice(0, at - s.start).split(/\s+/).length > 3) continue;
      best = p;
      bestAt = at;
    }
  }
  return best;
}

function sentenceAt(sentences: readonly Sentence[], at: number): Sentence | undefined {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (at < s.start) hi = mid - 1;
    else if (at >= s.end) lo = mid + 1;
    else return s;
  }
  // Between sentences (a space): the one before.
  return sentences[Math.max(0, hi)];
}
