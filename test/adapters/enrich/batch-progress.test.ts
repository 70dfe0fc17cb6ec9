import { describe, expect, it } from 'vitest';
import { newProgress, runningStep, stepDone, stepStarted } from '../../../adapters/enrich-thread/batch-progress.js';

// The shared record an enrichment thread keeps of the batch stage it is in, for the worker's watchdog.
describe('batch progress', () => {
  it('says which step runs and since when (epoch ms), and nothing between steps', () => {
    const p = newProgress(1_000_000);
    expect(runningStep(p)).toBeNull();
    const at = stepStarted(p, 2, 1_000_250);
    expect(runningStep(p)).toEqual({ step: 2, startedAt: 1_000_250 });
    stepDone(p, 2, at);
    expect(runningStep(p)).toBeNull();
  });

  it('keeps a later step when an earlier one settles late (an async stage abandoned at its limit)', () => {
    const p = newProgress(0);
    const first = stepStarted(p, 0, 10);
    stepStarted(p, 1, 5_010);
    stepDone(p, 0, first);
    expect(runningStep(p)).toEqual({ step: 1, startedAt: 5_010 });
  });

  it('lives in shared memory: a copy sent to a thread writes what the sender reads', () => {
    const p = newProgress(0);
    const copy = structuredClone(p);
    stepStarted(copy, 3, 42);
    expect(runningStep(p)).toEqual({ step: 3, startedAt: 42 });
  });
});
