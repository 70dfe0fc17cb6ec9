// Sentences for the bench site's articles: the news-like part of ../shared/corpora/ner (Wikinews
// and UD news sentences, full of people, organisations and places, so every enrichment stage does
// real work), or synthetic news sentences built from word banks when that corpus is absent.
import { existsSync, readFileSync } from 'node:fs';
import { seededRandom } from '../../lib/seeded-random.js';

const NEWS = new URL('../../../shared/corpora/ner/by-source/', import.meta.url);

export interface SentenceSource {
  sentences: string[];
  /** Where they came from, for the bench's header line. */
  origin: string;
}

/** The corpus sentences when ../shared is present, else synthetic ones (and says so). */
export function loadSentences(): SentenceSource {
  const files = ['train', 'dev', 'test'].map((s) => new URL(`${s}.news.conll`, NEWS).pathname).filter((f) => existsSync(f));
  const sentences = files.flatMap((f) => readConll(readFileSync(f, 'utf8'))).filter((s) => s.split(' ').length >= 6);
  if (sentences.length >= 200) return { sentences, origin: `${sentences.length} news sentences of ../shared/corpora/ner/by-source` };
  return { sentences: syntheticSentences(4000, 7), origin: '../shared/corpora/ner absent: synthetic news sentences from word banks' };
}

function readConll(text: string): string[] {
  return text.split(/\n\s*\n/).map((block) => detokenize(block.split('\n').map((l) => l.split('\t')[0] ?? '').filter(Boolean))).filter(Boolean);
}

/** Joins CoNLL tokens back into text: no space before closing punctuation or after opening marks. */
function detokenize(tokens: string[]): string {
  let out = '';
  let inQuote = false;
  let glueNext = true;
  for (const t of tokens) {
    const closing = /^([,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)$/i.test(t) || (t === '"' && inQuote);
    out += glueNext || closing ? t : ` ${t}`;
    glueNext = t === '(' || t === '$' || (t === '"' && !inQuote);
    if (t === '"') inQuote = !inQuote;
  }
  return out.replace(/(\w) - (?=\w)/g, '$1-').trim();
}

const FIRST = ['Maria', 'James', 'Aisha', 'Liam', 'Chen', 'Sofia', 'Daniel', 'Fatima', 'Oliver', 'Priya', 'Mateo', 'Hannah', 'Kwame', 'Elena', 'Tomas', 'Grace'];
const LAST = ['Garcia', 'Okafor', 'Schmidt', 'Nakamura', 'Rossi', 'Kowalski', 'Haddad', 'Johansson', 'Mensah', 'Dubois', 'Silva', 'Patel', 'Brennan', 'Novak'];
const PLACES = ['Lisbon', 'Nairobi', 'Toronto', 'Manchester', 'Osaka', 'Buenos Aires', 'Warsaw', 'Melbourne', 'Cairo', 'Denver', 'Hamburg', 'Lyon', 'Seoul', 'Dublin'];
const ORGS = ['the Ministry of Health', 'Northwind Energy', 'the city council', 'the European Commission', 'Harbor Bank', 'the University of Leeds', 'the World Health Organization', 'Atlas Airlines'];
const ROLES = ['the mayor', 'a spokesperson', 'the chief executive', 'an analyst', 'the health minister', 'a local resident', 'the union leader'];
const TOPICS = ['housing costs', 'the new rail line', 'water shortages', 'the budget vote', 'wildfire recovery', 'hospital waiting times', 'the port strike', 'school funding'];
const VERBS = ['said', 'announced', 'warned', 'confirmed', 'argued', 'told reporters'];

/** News-like sentences with names, places and quotes, from a seeded PRNG. */
export function syntheticSentences(count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const templates = [
    () => `${person()}, ${pick(ROLES)} of ${pick(PLACES)}, ${pick(VERBS)} on Tuesday that ${pick(TOPICS)} would dominate the coming months.`,
    () => `"We cannot wait any longer on ${pick(TOPICS)}," ${person()} ${pick(VERBS)} in ${pick(PLACES)}.`,
    () => `${pick(ORGS)} ${pick(VERBS)} that talks with officials in ${pick(PLACES)} had stalled over ${pick(TOPICS)}.`,
    () => `According to ${person()}, about ${Math.floor(rnd() * 900 + 100)} people gathered outside ${pick(ORGS)} in ${pick(PLACES)}.`,
    () => `The decision by ${pick(ORGS)} surprised many in ${pick(PLACES)}, where ${pick(TOPICS)} has been debated for years.`,
    () => `${person()} ${pick(VERBS)} the plan was "a serious mistake" and called on ${pick(ORGS)} to reconsider.`,
  ];
  return Array.from({ length: count }, () => pick(templates)());
}
