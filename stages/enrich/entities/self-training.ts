/**
 * Self-training helpers (training only, never run by the stage): sentences of unlabelled news text
 * tagged by a train-only model become extra training sentences when independent taggings agree.
 */

/**
 * Pseudo-gold tags: MISC becomes O. The tagger's MISC is poor (34 F1 on test), so the sentence
 * is trained as open-MISC instead, like UNER: its O tokens may be O or MISC, names keep their type.
 */
export function withoutMisc(tags: readonly string[]): string[] {
  return tags.map((t) => (t.endsWith('-MISC') ? 'O' : t));
}

/**
 * Indexes of the sentences on which every tagging agrees tag for tag (MISC ignored) and which
 * hold something to learn: a name, or a capitalised word after the first that all taggings
 * leave out. Sentences without either teach only that lower-case words are O.
 * `taggings[k][i]` is tagging k's tags for sentence i. `namesOnly` also drops sentences without
 * a name (agreed O on capitalised words may be a miss every tagger shares).
 */
export function agreedSentences(sentences: readonly (readonly string[])[], taggings: readonly (readonly (readonly string[])[])[], namesOnly = false): number[] {
  const out: number[] = [];
  sentences.forEach((words, i) => {
    const first = withoutMisc(taggings[0]![i]!);
    for (const t of taggings.slice(1)) {
      const other = withoutMisc(t[i]!);
      if (other.length !== first.length || other.some((tag, k) => tag !== first[k])) return;
    }
    const named = first.some((t) => t !== 'O');
    const capitalised = words.some((w, k) => k > 0 && /^\p{Lu}/u.test(w));
    if (named || (capitalised && !namesOnly)) out.push(i);
  });
  return out;
}
