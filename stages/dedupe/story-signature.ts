import { bandKeys } from './band-keys.js';
import { minhashSignature } from './minhash-signature.js';
import { shingleWords } from './shingle-words.js';
import { storyWords } from './story-words.js';

/**
 * How texts are compared. Changing shingle, hashes, bands or rows makes signatures already in
 * the index incomparable: change them with an empty index (or wait out dedupe.window).
 */
export interface SignatureOptions {
  /** Words per shingle. */
  shingle: number;
  /** MinHash functions: the signature length; the similarity estimate's error is ~sqrt(s(1-s)/hashes). */
  hashes: number;
  /** LSH bands; bands × rows ≤ hashes (the first bands × rows slots are banded). */
  bands: number;
  rows: number;
}

/** Tuned on test/fixtures/story-pairs with bench/dedupe.ts (see that file's header). */
export const DEFAULT_SIGNATURE_OPTIONS: Readonly<SignatureOptions> = { shingle: 5, hashes: 128, bands: 16, rows: 2 };

export interface StorySignature {
  /** MinHash values; empty when the text has no words. */
  minhash: Uint32Array;
  /** LSH band keys; empty when the text has no words. */
  bands: string[];
  words: number;
}

/** The MinHash signature and LSH band keys of an article's normalised text. */
export function storySignature(text: string, opts: SignatureOptions = DEFAULT_SIGNATURE_OPTIONS): StorySignature {
  const words = storyWords(text);
  if (words.length === 0) return { minhash: new Uint32Array(0), bands: [], words: 0 };
  const minhash = minhashSignature(shingleWords(words, opts.shingle), opts.hashes);
  return { minhash, bands: bandKeys(minhash, opts.bands, opts.rows), words: words.length };
}
