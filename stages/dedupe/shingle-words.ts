import { hash32, mix32 } from './hash32.js';

/**
 * The distinct hashed k-word shingles of a word list. A text shorter than k words is one
 * shingle of all its words, so a short item still has a signature.
 */
export function shingleWords(words: readonly string[], k: number): Uint32Array {
  if (words.length === 0) return new Uint32Array(0);
  const wordHashes = words.map((w) => hash32(w));
  const n = Math.max(1, words.length - k + 1);
  const width = Math.min(k, words.length);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) {
    // Order matters inside a shingle ("police shot man" ≠ "man shot police"): a positional fold.
    let h = 0x2545f491;
    for (let j = 0; j < width; j++) h = mix32(Math.imul(h, 0x01000193) ^ wordHashes[i + j]!);
    out.add(h);
  }
  return Uint32Array.from(out);
}
