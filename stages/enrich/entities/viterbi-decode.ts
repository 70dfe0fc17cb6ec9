/**
 * Best label sequence under per-token scores plus label-bigram transition scores.
 * `emissions` is tokens x labels (row-major); `transitions` is (labels + 1) x labels, where row
 * `labels` holds the start scores. `allowed` forbids transitions (I-X after anything but B-X/I-X)
 * so the output is always valid BIO2. Token t's scores may sit at `offset + t * stride` of a wider
 * matrix (one holding several passes' scores side by side).
 */
export function viterbiDecode(
  emissions: Float64Array,
  tokenCount: number,
  labelCount: number,
  transitions: Float64Array,
  allowed: Uint8Array,
  stride = labelCount,
  offset = 0,
): Int32Array {
  const L = labelCount;
  const path = new Int32Array(tokenCount);
  if (tokenCount === 0) return path;
  const back = new Int32Array(tokenCount * L);
  let prev = new Float64Array(L);
  let cur = new Float64Array(L);
  for (let y = 0; y < L; y++) {
    prev[y] = allowed[L * L + y] ? transitions[L * L + y]! + emissions[offset + y]! : -Infinity;
  }
  const { from, at } = predecessors(allowed, L);
  for (let t = 1; t < tokenCount; t++) {
    const row = offset + t * stride;
    for (let y = 0; y < L; y++) {
      let best = -Infinity;
      let arg = 0;
      for (let k = at[y]!, end = at[y + 1]!; k < end; k++) {
        const p = from[k]!;
        const s = prev[p]! + transitions[p * L + y]!;
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      cur[y] = best + emissions[row + y]!;
      back[t * L + y] = arg;
    }
    [prev, cur] = [cur, prev];
  }
  let best = -Infinity;
  let arg = 0;
  for (let y = 0; y < L; y++) {
    if (prev[y]! > best) {
      best = prev[y]!;
      arg = y;
    }
  }
  for (let t = tokenCount - 1; t >= 0; t--) {
    path[t] = arg;
    arg = back[t * L + arg]!;
  }
  return path;
}

/** Each label's allowed predecessors, ascending: labels `from[at[y]]` to `from[at[y + 1] - 1]` may precede y. */
interface Predecessors {
  readonly from: Int32Array;
  readonly at: Int32Array;
}

// Keyed by the allowed matrix, which never changes (transition scores do, while training).
const PREDECESSORS = new WeakMap<Uint8Array, Predecessors>();

/**
 * The allowed matrix as lists, so the inner loop visits only legal predecessors (two for an I-X
 * label instead of every label), in the same ascending order: ties resolve as before.
 */
function predecessors(allowed: Uint8Array, L: number): Predecessors {
  const known = PREDECESSORS.get(allowed);
  if (known !== undefined && known.at.length === L + 1) return known;
  const from: number[] = [];
  const at = new Int32Array(L + 1);
  for (let y = 0; y < L; y++) {
    at[y] = from.length;
    for (let p = 0; p < L; p++) if (allowed[p * L + y]) from.push(p);
  }
  at[L] = from.length;
  const out = { from: Int32Array.from(from), at };
  PREDECESSORS.set(allowed, out);
  return out;
}

/** Which label bigrams BIO2 permits, in the layout viterbiDecode expects (start row last). */
export function allowedTransitions(labels: readonly string[]): Uint8Array {
  const L = labels.length;
  const out = new Uint8Array((L + 1) * L);
  for (let p = 0; p <= L; p++) {
    const prevLabel = p === L ? 'O' : labels[p]!;
    for (let y = 0; y < L; y++) {
      const label = labels[y]!;
      const ok = !label.startsWith('I-') || (prevLabel !== 'O' && prevLabel.slice(2) === label.slice(2));
      out[p * L + y] = ok ? 1 : 0;
    }
  }
  return out;
}
