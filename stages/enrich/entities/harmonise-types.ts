import { bioSpans } from './bio-spans.js';

/**
 * One sense per document: every span of the same text gets the type most of that text's spans
 * have in the document ("Paris" is a place throughout, not a person in one sentence). Ties keep
 * each span's own type. Returns new tag lists; boundaries never move.
 */
export function harmoniseTypes(sentences: readonly (readonly string[])[], tags: readonly (readonly string[])[]): string[][] {
  const votes = new Map<string, Map<string, number>>();
  const spans = tags.map((t, i) => bioSpans(t).map((sp) => ({ ...sp, text: sentences[i]!.slice(sp.start, sp.end).join(' ') })));
  for (const list of spans) {
    for (const sp of list) {
      let v = votes.get(sp.text);
      if (!v) votes.set(sp.text, (v = new Map()));
      v.set(sp.type, (v.get(sp.type) ?? 0) + 1);
    }
  }
  return tags.map((t, i) => {
    const out = [...t];
    for (const sp of spans[i]!) {
      const v = votes.get(sp.text)!;
      const own = v.get(sp.type)!;
      let best = sp.type;
      for (const [type, n] of v) if (n > own && n > (v.get(best) ?? 0)) best = type;
      if (best === sp.type) continue;
      for (let k = sp.start; k < sp.end; k++) out[k] = `${k === sp.start ? 'B' : 'I'}-${best}`;
    }
    return out;
  });
}
