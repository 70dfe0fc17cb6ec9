import type { ResourceLimits } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool, type ThreadPoolSpec } from '../../../adapters/thread-pool/thread-pool.js';

const pools: Array<ThreadPool<null, ResourceLimits>> = [];
const pool = (limits: Pick<ThreadPoolSpec<null>, 'maxOldGenerationSizeMb' | 'maxYoungGenerationSizeMb'>) => {
  const p = new ThreadPool<null, ResourceLimits>({
    entry: new URL('./limits-entry.mjs', import.meta.url),
    size: 1,
    timeoutMs: 30_000,
    ...limits,
    errors: {
      timeout: () => new Error('timeout'),
      crash: (_input, err) => err,
      closed: () => new Error('closed'),
      rebuild: (e) => new Error(e.message),
    },
  });
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('thread pool resource limits', () => {
  it('runs its threads with the young generation it is given', async () => {
    const limits = await pool({ maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 96 }).run(null);
    expect(limits.maxYoungGenerationSizeMb).toBe(96);
    expect(limits.maxOldGenerationSizeMb).toBe(256);
  });

  it("keeps V8's young generation when given none", async () => {
    const limits = await pool({ maxOldGenerationSizeMb: 256 }).run(null);
    expect(limits.maxYoungGenerationSizeMb).toBeGreaterThan(0);
    expect(limits.maxYoungGenerationSizeMb).not.toBe(96);
    expect(limits.maxOldGenerationSizeMb).toBe(256);
  });
});
