/** A token of raw text with its character offsets (end exclusive). */
export interface TextToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

// Abbreviations that keep their full stop, as in the CoNLL/PTB tokenisation the model was trained on.
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'gen', 'col', 'lt', 'sgt', 'capt', 'gov', 'sen', 'rep', 'rev',
  'inc', 'corp', 'ltd', 'co', 'no', 'vs', 'etc', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept',
  'oct', 'nov', 'dec', 'mt', 'ft', 'ave', 'adm', 'maj', 'cmdr', 'supt', 'det', 'bros', 'dept', 'univ', 'approx',
]);

// One alternative per token kind, tried in order: URL, e-mail, dotted initials (U.S., e.g.),
// number with separators, word (with inner hyphens and apostrophes), ellipsis/dash runs, any other character.
const TOKEN_RE = new RegExp(
  [
    String.raw`(?:https?:\/\/|www\.)[^\s<>"”]+[^\s<>"”.,;:!?)\]'’]`,
    String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`,
    String.raw`(?:\p{L}\.){2,}`,
    String.raw`\d+(?:[.,:/]\d+)+`,
    String.raw`(?<word>[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+|[-&][\p{L}\p{M}\p{N}]+)*\.?)`,
    String.raw`\.{2,}|-{2,}|…`,
    String.raw`\S`,
  ].join('|'),
  'gu',
);

// Arabic and European name particles joined by a hyphen ("al-Nakhaleh", "bin-Laden") are split
// as GUM and UNER tokenise them ("al - Qaeda"), so the tagger sees the capitalised part.
const PARTICLE_RE = /^(al|el|ul|bin|ibn|abu|abd|ben|bint|van|von|de|da|di|du|le|la)(-)(\p{Lu}.*)$/u;

function splitParticle(text: string, start: number): TextToken[] | null {
  const m = PARTICLE_RE.exec(text);
  if (!m) return null;
  const [, head, dash, tail] = m as unknown as [string, string, string, string];
  return [
    { text: head, start, end: start + head.length },
    { text: dash, start: start + head.length, end: start + head.length + 1 },
    ...splitClitic(tail, start + head.length + 1),
  ];
}

const CLITIC_RE = /^(.+?)(n['’]t|['’](?:s|re|ve|ll|d|m))$/iu;

/** Splits "Israel's" into "Israel" "'s" and "don't" into "do" "n't", keeping offsets. */
function splitClitic(text: string, start: number): TextToken[] {
  const particle = splitParticle(text, start);
  if (particle) return particle;
  const m = CLITIC_RE.exec(text);
  if (!m) return [{ text, start, end: start + text.length }];
  const head = m[1]!;
  return [
    { text: head, start, end: start + head.length },
    { text: m[2]!, start: start + head.length, end: start + text.length },
  ];
}

/** Splits a word's trailing full stop off unless the word is a known abbreviation. */
function splitStop(text: string, start: number): TextToken[] {
  if (!text.endsWith('.') || text.length === 1) return splitClitic(text, start);
  const word = text.slice(0, -1);
  if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) return [{ text, start, end: start + text.length }];
  return [...splitClitic(word, start), { text: '.', start: start + word.length, end: start + text.length }];
}

/** Tokenises one line of text, CoNLL style: punctuation split off, "U.S." and "Mr." kept whole. */
export function tokenizeLine(line: string, offset = 0): TextToken[] {
  const out: TextToken[] = [];
  for (const m of line.matchAll(TOKEN_RE)) {
    if (m.groups?.['word'] === undefined) out.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
    else out.push(...splitStop(m[0], offset + m.index));
  }
  return out;
}

const CLOSERS = new Set(['"', '”', '’', "'", ')', ']']);

function endsSentence(tokens: readonly TextToken[], i: number): boolean {
  const tok = tokens[i]!.text;
  if (tok !== '.' && tok !== '!' && tok !== '?' && tok !== '...' && tok !== '…') return false;
  let j = i + 1;
  while (j < tokens.length && CLOSERS.has(tokens[j]!.text)) j++;
  const next = tokens[j];
  return next === undefined || /^[\p{Lu}\d"“‘'(]/u.test(next.text);
}

/**
 * Splits raw article text into sentences of tokens. Every line break ends a sentence (headings,
 * captions and paragraphs are separate lines in extracted text); within a line a sentence ends at
 * . ! ? (plus closing quotes) before a capital, digit or opening quote.
 */
export function tokenizeText(text: string): TextToken[][] {
  const sentences: TextToken[][] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const tokens = tokenizeLine(line, lineStart);
    lineStart += line.length + 1;
    let current: TextToken[] = [];
    for (let i = 0; i < tokens.length; i++) {
      current.push(tokens[i]!);
      if (endsSentence(tokens, i)) {
        while (i + 1 < tokens.length && CLOSERS.has(tokens[i + 1]!.text) && !/^\p{L}/u.test(tokens[i + 1]!.text)) {
          current.push(tokens[++i]!);
        }
        sentences.push(current);
        current = [];
      }
    }
    if (current.length > 0) sentences.push(current);
  }
  return sentences;
}
