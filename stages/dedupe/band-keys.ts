import { hash32 } from './hash32.js';

/**
 * LSH band keys: the signature cut into `bands` bands of `rows` slots, each band hashed to one key
 * "<band>-<hex>". Two texts with Jaccard s share at least one key with probability
 * 1 - (1 - s^rows)^bands (Leskovec, Rajaraman, Ullman, Mining of Massive Datasets §3.4).
 */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): string[] {
  if (bands * rows > signature.length) throw new RangeError(`${bands} bands × ${rows} rows need ${bands * rows} hashes, signature has ${signature.length}`);
  if (signature.length === 0 || signature[0] === 0xffffffff) return [];
  const keys: string[] = [];
  for (let b = 0; b < bands; b++) {
    let text = '';
    for (let r = 0; r < rows; r++) text += String.fromCharCode(signature[b * rows + r]! & 0xffff, signature[b * rows + r]! >>> 16);
    keys.push(`${b}-${hash32(text, b).toString(16)}`);
  }
  return keys;
}

/** Probability that two texts with Jaccard `s` share a band key: the LSH S-curve. */
export function bandHitProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}
