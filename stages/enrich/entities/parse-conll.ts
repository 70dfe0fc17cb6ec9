/** One sentence of a CoNLL file: tokens and their BIO2 tags. */
export interface ConllSentence {
  readonly words: string[];
  readonly tags: string[];
}

/** Parses `token<TAB>tag` lines with a blank line after each sentence (../shared/corpora/ner format). */
export function parseConll(text: string): ConllSentence[] {
  const out: ConllSentence[] = [];
  let words: string[] = [];
  let tags: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (words.length > 0) out.push({ words, tags });
      words = [];
      tags = [];
      continue;
    }
    const tab = line.indexOf('\t');
    words.push(line.slice(0, tab));
    tags.push(line.slice(tab + 1).trim());
  }
  if (words.length > 0) out.push({ words, tags });
  return out;
}
