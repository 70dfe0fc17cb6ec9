// Fast non-cryptographic 32-bit hashing for shingles and MinHash. Collisions only blur a
// similarity estimate a little; nothing here is security-relevant, so speed wins over sha*.

/** MurmurHash3's 32-bit finaliser (fmix32): a bijection on uint32 that avalanches every input bit. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's UTF-16 code units, finished with mix32 so short strings spread too. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Deterministic uint32 seeds (splitmix32), so every worker on every machine derives the same hash family. */
export function seeds32(count: number, start = 0x9e3779b9): Uint32Array {
  const out = new Uint32Array(count);
  let state = start >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    out[i] = mix32(state) | 1;
  }
  return out;
}
