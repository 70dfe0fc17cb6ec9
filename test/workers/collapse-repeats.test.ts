import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collapseRepeats } from '../../lib/collapse-repeats.js';
import { faultLog } from '../../lib/fault-log.js';
import { createLogger } from '../../lib/log.js';

describe('collapseRepeats', () => {
  it('gives the first fault a line, keeps repeats quiet, and sums them up at most every 30 s', () => {
    const c = collapseRepeats({ summaryEveryMs: 30_000 });
    expect(c.note('ECONNREFUSED', 0)).toEqual({ kind: 'first' });
    for (let t = 200; t < 30_000; t += 200) expect(c.note('ECONNREFUSED', t).kind).toBe('quiet');
    expect(c.note('ECONNREFUSED', 30_000)).toEqual({ kind: 'summary', repeats: 150, sinceMs: 30_000 });
    expect(c.note('ECONNREFUSED', 30_200).kind).toBe('quiet');
    expect(c.note('ECONNREFUSED', 59_999).kind).toBe('quiet');
    expect(c.note('ECONNREFUSED', 60_000)).toEqual({ kind: 'summary', repeats: 3, sinceMs: 30_000 });
  });

  it('gives each new kind of fault its own first line, up to maxKinds', () => {
    const c = collapseRepeats({ summaryEveryMs: 30_000, maxKinds: 2 });
    expect(c.note('a', 0).kind).toBe('first');
    expect(c.note('b', 1).kind).toBe('first');
    expect(c.note('c', 2).kind).toBe('quiet');
    expect(c.note('a', 3).kind).toBe('quiet');
  });

  it('ends the episode on clear with its length and the repeats not yet reported; the next fault is first again', () => {
    const c = collapseRepeats({ summaryEveryMs: 30_000 });
    expect(c.clear(0)).toBeNull();
    c.note('x', 1000);
    c.note('x', 2000);
    c.note('x', 3000);
    expect(c.clear(11_000)).toEqual({ durationMs: 10_000, unreported: 2, total: 3 });
    expect(c.clear(12_000)).toBeNull();
    expect(c.note('x', 13_000).kind).toBe('first');
  });
});

describe('faultLog', () => {
  it('logs seven stages failing the same way (ports differing) once, a summary 30 s on,, then one line when Redis is back', () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
    let now = 0;
    const faults = faultLog(createLogger('info', sink), { now: () => now });
    for (let attempt = 0; attempt < 80; attempt++, now += 500) {
      for (const stage of ['feeds', 'fetch', 'extract', 'normalise', 'dedupe', 'enrich', 'store']) {
        faults.fault(Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${40000 + attempt}`), { code: 'ECONNREFUSED' }), { stage });
      }
    }
    faults.recovered();
    faults.recovered();
    expect(lines.map((l) => l.msg)).toEqual(['worker error', 'worker errors repeated', 'redis connection back']);
    expect(lines[0]).toMatchObject({ level: 50, stage: 'feeds', err: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:40000' });
    // 80 reconnect rounds 0.5 s apart: the summary comes with the first fault 30 s in (round 60).
    expect(lines[1]).toMatchObject({ level: 40, repeats: 60 * 7, sinceMs: 30_000 });
    expect(lines[2]).toMatchObject({ level: 30, errors: 80 * 7, unreported: 20 * 7 - 1, durationMs: 40_000 });
  });
});
