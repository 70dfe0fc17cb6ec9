/** One entity span over a sentence's tokens: `end` is exclusive. */
export interface TagSpan {
  readonly start: number;
  readonly end: number;
  readonly type: string;
}

/**
 * Groups BIO2 tags into spans, CoNLL style: a stray I-X (no B-X before it) opens a span, so the
 * figures match conlleval and the Python baselines in ../shared/corpora/ner.
 */
export function bioSpans(tags: readonly string[]): TagSpan[] {
  const spans: TagSpan[] = [];
  let start = -1;
  let type = '';
  for (let i = 0; i <= tags.length; i++) {
    const tag = tags[i] ?? 'O';
    const continues = tag.startsWith('I-') && tag.slice(2) === type && start >= 0;
    if (!continues) {
      if (start >= 0) spans.push({ start, end: i, type });
      start = -1;
      type = '';
      if (tag !== 'O') {
        start = i;
        type = tag.slice(2);
      }
    }
  }
  return spans;
}
