import { describe, expect, it } from 'vitest';
import { normaliseRows, removeTopComponents, sphericalKMeans } from '../../../stages/enrich/entities/embedding-clusters.js';
import { parseClusters } from '../../../stages/enrich/entities/load-ner-model.js';

/** Rows of `dim` numbers around each of `centres` (small deterministic offsets). */
function blobs(centres: number[][], perCentre: number): Float32Array {
  const dim = centres[0]!.length;
  const out = new Float32Array(centres.length * perCentre * dim);
  let r = 0;
  for (const c of centres) {
    for (let p = 0; p < perCentre; p++, r++) {
      for (let j = 0; j < dim; j++) out[r * dim + j] = c[j]! + 0.05 * Math.sin(7 * r + 3 * j);
    }
  }
  return out;
}

describe('normaliseRows', () => {
  it('scales each row to unit length and leaves zero rows alone', () => {
    const d = new Float32Array([3, 4, 0, 0, 0, 2]);
    normaliseRows(d, 2);
    expect([...d].map((x) => Math.round(x * 1000) / 1000)).toEqual([0.6, 0.8, 0, 0, 0, 1]);
  });
});

describe('removeTopComponents', () => {
  it('centres the rows and removes the direction of largest variance', () => {
    // Rows: a common offset (5, 5, 5), large spread along (1, 1, 0) / sqrt 2, small spread along z.
    const rows: number[] = [];
    for (let i = 0; i < 40; i++) {
      const a = 3 * Math.sin(i * 1.7);
      const b = 0.2 * Math.cos(i * 2.3);
      rows.push(5 + a / Math.SQRT2, 5 + a / Math.SQRT2, 5 + b);
    }
    const d = new Float32Array(rows);
    removeTopComponents(d, 3, 1);
    let mean = [0, 0, 0];
    for (let i = 0; i < 40; i++) mean = mean.map((m, j) => m + d[i * 3 + j]! / 40);
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-4);
    // What is left of each row lies along z (the large (1, 1, 0) spread is gone).
    for (let i = 0; i < 40; i++) expect(Math.max(Math.abs(d[i * 3]!), Math.abs(d[i * 3 + 1]!))).toBeLessThan(1e-3);
    expect(Math.max(...Array.from({ length: 40 }, (_, i) => Math.abs(d[i * 3 + 2]!)))).toBeGreaterThan(0.1);
  });
});

describe('sphericalKMeans', () => {
  const centres = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, 0]];
  const data = blobs(centres, 25);
  normaliseRows(data, 3);

  it('puts rows near the same direction together and apart from the others', () => {
    const { assign, centroids } = sphericalKMeans(data, 3, 4, { seed: 1, maxIterations: 20 });
    const ids = centres.map((_, b) => new Set(Array.from(assign.subarray(b * 25, b * 25 + 25))));
    for (const s of ids) expect(s.size).toBe(1);
    expect(new Set(ids.map((s) => [...s][0])).size).toBe(4);
    for (let c = 0; c < 4; c++) {
      const [x, y, z] = centroids.subarray(c * 3, c * 3 + 3);
      expect(Math.hypot(x!, y!, z!)).toBeCloseTo(1, 5);
    }
  });

  it('gives the same clusters for the same seed', () => {
    const a = sphericalKMeans(data, 3, 7, { seed: 42, maxIterations: 10 });
    const b = sphericalKMeans(data, 3, 7, { seed: 42, maxIterations: 10 });
    expect([...a.assign]).toEqual([...b.assign]);
    expect(new Set(a.assign).size).toBe(7);
  });

  it('rejects more clusters than rows', () => {
    expect(() => sphericalKMeans(new Float32Array(6), 3, 3, { seed: 1, maxIterations: 1 })).toThrow(/k = 3/);
  });
});

describe('parseClusters', () => {
  it('reads word and class columns, skipping the header and blank lines', () => {
    const m = parseClusters('#word\t64\t256\nparis\t12\t216\n\nlondon\t12\t7\nlone\n');
    expect([...m]).toEqual([['paris', ['12', '216']], ['london', ['12', '7']], ['lone', []]]);
  });
});
