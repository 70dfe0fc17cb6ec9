/** Verbs introducing reported speech, past and present. "reported" is absent on purpose: `"…," Reuters reported` names a source, not a speaker. */
const VERBS =
  'said|says|say|told|tells|added|adds|stated|states|wrote|writes|explained|explains|noted|notes|insisted|insists|argued|argues|' +
  'warned|warns|claimed|claims|declared|declares|announced|asked|asks|replied|continued|recalled|admitted|acknowledged|' +
  'conceded|suggested|stressed|emphasized|emphasised|tweeted|posted|commented|remarked|observed|predicted|promised|vowed|' +
  'pledged|cautioned|complained|joked|shouted|testified|responded|answered|recounted|concluded|countered|maintained|confirmed';

const SUBJECT = String.raw`[^,.;:!?"“”]{1,80}?`;
const ADVERB = String.raw`(?:\s+(?:also|later|then|again|previously|earlier|once|\w+ly))?`;
const AFTER_VERB_FIRST = new RegExp(String.raw`^\s*,?\s*(?:${VERBS})\s+(${SUBJECT}(?:,\s*${SUBJECT})?)\s*(?:[,.;:!?]|$|\s+(?:in|on|at|to|during|after|before|when|while|who|via|from)\s)`);
// The subject may carry an apposition: "…," the mayor, Jane Doe, said.
const AFTER_SUBJECT_FIRST = new RegExp(String.raw`^\s*,?\s*(${SUBJECT}(?:,\s*${SUBJECT}){0,2},?)${ADVERB}\s+(?:${VERBS})\b`);
const ACCORDING = /according to\s+([^,.;:!?"“”]{1,80}?)\s*(?:[,.;:!?]|$|\s+(?:in|on|at|who)\s)/i;
const BEFORE = new RegExp(String.raw`(${SUBJECT})${ADVERB}\s+(?:${VERBS})\b(?![^]*\b(?:${VERBS})\b)`);
const TOLD = /\btold\s+((?:\p{Lu}[\p{L}'’-]*\s*)+)/u;

/** Who a quotation is attributed to, as written, and whom the speaker addressed ("told Haniyeh"). */
export interface Attribution {
  readonly subject: string;
  readonly addressee: string | null;
}

/** The speaker named right after a quote: `"…," X said`, `"…," said X`, `"…" according to X`. */
export function attributionAfter(after: string): Attribution | null {
  const m = AFTER_VERB_FIRST.exec(after) ?? AFTER_SUBJECT_FIRST.exec(after) ?? anchoredAccording(after);
  return m ? attribution(m[1]!, after) : null;
}

/** The speaker of the last speech verb before a quote in its sentence: `X said: "…"`, `X said the … "…"`, `According to X, "…"`. */
export function attributionBefore(before: string): Attribution | null {
  const verb = BEFORE.exec(before);
  if (verb) {
    // The subject is the clause before the verb: after the last comma, up to eight words.
    const clause = verb[1]!.split(/[,;—–]/).pop()!.trim().split(/\s+/).slice(-8).join(' ');
    return clause ? attribution(clause, before.slice(verb.index)) : null;
  }
  const according = ACCORDING.exec(before);
  return according ? attribution(according[1]!, before) : null;
}

function anchoredAccording(after: string): RegExpExecArray | null {
  const m = ACCORDING.exec(after);
  return m && after.slice(0, m.index).trim().replace(/^,/, '').trim() === '' ? m : null;
}

function attribution(subject: string, around: string): Attribution {
  const addressee = TOLD.exec(around)?.[1]?.trim() ?? null;
  return { subject: subject.trim(), addressee };
}

const SPEECH_VERBS = new Set(VERBS.split('|'));
const OTHER_VERBS = new Set('is was are were has had have will would can could must should may might spoke met met went made gave took urged called thanked'.split(' '));

/** A word that ends a sentence's subject: a speech verb, an auxiliary or a regular past tense. */
export function isVerbLike(word: string): boolean {
  const w = word.toLowerCase();
  return SPEECH_VERBS.has(w) || OTHER_VERBS.has(w) || (/ed$/.test(w) && w === word);
}
