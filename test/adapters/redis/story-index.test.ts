import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisStoryIndex, type StoryIndex } from '../../../adapters/redis/story-index.js';
import { key } from '../../../queues/connection.js';
import { decideStory, DEFAULT_STORY_OPTIONS } from '../../../stages/dedupe/decide-story.js';
import { storySignature } from '../../../stages/dedupe/story-signature.js';
import { contentHash } from '../../../stages/normalise/normalise-article.js';
import { testPrefix, useTestRedis } from '../../helpers/redis.js';
import { raceCopy, raceStory } from './story-race-texts.js';

const t = useTestRedis();

const HOUR_MS = 3_600_000;

/** Files `text` as article `id` the way workers/dedupe.ts does; counts how often decide ran. */
async function file(index: StoryIndex, id: string, text: string, calls = { decide: 0 }) {
  const sig = storySignature(text);
  return index.claim({ articleId: id, contentHash: contentHash(text), ...sig }, (candidates) => {
    calls.decide++;
    return decideStory({ id }, sig.minhash, candidates, DEFAULT_STORY_OPTIONS);
  });
}

const other = raceStory(1001);

describe('redisStoryIndex', () => {
  it('starts a story, files a near copy under it, an exact copy too, and keeps another story apart', async () => {
    const index = redisStoryIndex(t.redis, testPrefix(), { windowMs: HOUR_MS });
    const first = await file(index, 'a', raceCopy(5, 'a'));
    expect(first).toMatchObject({ storyId: 'a', duplicateOf: null, kind: 'new', replayed: false });
    expect(await file(index, 'b', raceCopy(5, 'b'))).toMatchObject({ storyId: 'a', duplicateOf: 'a', kind: 'near' });
    expect(await file(index, 'c', raceCopy(5, 'a'))).toMatchObject({ storyId: 'a', duplicateOf: 'a', kind: 'exact', similarity: 1 });
    expect(await file(index, 'd', raceCopy(6, 'a'))).toMatchObject({ storyId: 'd', duplicateOf: null, kind: 'new' });
    expect(await file(index, 'e', other)).toMatchObject({ storyId: 'e', kind: 'new' });
  });

  it('chains: a copy of a copy joins the first copy\'s story', async () => {
    const index = redisStoryIndex(t.redis, testPrefix(), { windowMs: HOUR_MS });
    await file(index, 'a', raceCopy(8, 'a'));
    await file(index, 'b', raceCopy(8, 'b'));
    const third = `${raceCopy(8, 'b')}\n\nAnother paragraph that only the third outlet printed, about parking near the site.`;
    expect(await file(index, 'c', third)).toMatchObject({ storyId: 'a' });
  });

  it('answers a retried job with the decision it stored, without filing it twice', async () => {
    const prefix = testPrefix();
    const index = redisStoryIndex(t.redis, prefix, { windowMs: HOUR_MS });
    await file(index, 'a', raceCopy(2, 'a'));
    const b = await file(index, 'b', raceCopy(2, 'b'));
    const calls = { decide: 0 };
    const again = await file(index, 'b', raceCopy(2, 'b'), calls);
    expect(again).toEqual({ ...b, replayed: true });
    expect(calls.decide).toBe(0);
    expect(await t.redis.get(key(prefix, 'story', 'seq'))).toBe('2');
  });

  it('files two copies claimed at the same moment on two connections as ONE story, every time', async () => {
    const prefix = testPrefix();
    const c1 = new Redis(t.server.url);
    const c2 = new Redis(t.server.url);
    const i1 = redisStoryIndex(c1, prefix, { windowMs: HOUR_MS });
    const i2 = redisStoryIndex(c2, prefix, { windowMs: HOUR_MS });
    const calls = { decide: 0 };
    const rounds = 200;
    try {
      for (let round = 0; round < rounds; round++) {
        const [x, y] = await Promise.all([
          file(i1, `a-${round}`, raceCopy(round, 'a'), calls),
          file(i2, `b-${round}`, raceCopy(round, 'b'), calls),
        ]);
        expect(x.storyId, `round ${round}`).toBe(y.storyId);
        expect([x.duplicateOf, y.duplicateOf].filter((d) => d === null), `round ${round}`).toHaveLength(1);
      }
    } finally {
      await c1.quit();
      await c2.quit();
    }
    // Both lookups usually run before either commit: the loser's commit is refused and it decides again.
    expect(calls.decide).toBeGreaterThan(rounds * 2);
  });

  it('files copies from two real worker processes as one story per round', async () => {
    const prefix = testPrefix();
    const script = fileURLToPath(new URL('./story-claimer.ts', import.meta.url));
    const rounds = 300;
    const procs = ['pa', 'pb'].map((w) => spawn(process.execPath, ['--import', 'tsx', script, t.server.url, prefix, w, String(rounds)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const outputs = procs.map((p) => {
      let out = '';
      const ready = new Promise<void>((resolve) => p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      }));
      const exited = once(p, 'exit').then(([code]) => ({
        code,
        lines: out.trim().split('\n').slice(1).map((l) => JSON.parse(l) as { round: number; storyId: string; duplicateOf: string | null }),
      }));
      return { ready, exited };
    });
    // Both processes have connected and signed their copies: start them together.
    await Promise.all(outputs.map((o) => o.ready));
    for (const p of procs) p.stdin.end('go\n');
    const [a, b] = await Promise.all(outputs.map((o) => o.exited));
    expect(a!.code).toBe(0);
    expect(b!.code).toBe(0);
    for (let round = 0; round < rounds; round++) {
      const x = a!.lines[round]!;
      const y = b!.lines[round]!;
      expect(x.storyId, `round ${round}`).toBe(y.storyId);
      expect([x.duplicateOf, y.duplicateOf].filter((d) => d === null), `round ${round}`).toHaveLength(1);
    }
  });

  it('writes every key with the window as its expiry, and forgets a story once the window has passed', async () => {
    const prefix = testPrefix();
    const windowMs = 400;
    const index = redisStoryIndex(t.redis, prefix, { windowMs });
    await file(index, 'old', raceCopy(3, 'a'));
    const keys = (await t.redis.keys(`${key(prefix, 'story')}:*`)).filter((k) => !k.endsWith(':seq'));
    expect(keys.length).toBe(1 + 1 + 16); // record, content hash, 16 bands
    for (const k of keys) {
      const ttl = await t.redis.pttl(k);
      expect(ttl, k).toBeGreaterThan(0);
      expect(ttl, k).toBeLessThanOrEqual(windowMs);
    }
    // Wait for Redis to expire the record (an event we poll for, not a guessed sleep).
    while ((await t.redis.exists(key(prefix, 'story', 'art', 'old'))) === 1) await new Promise((r) => setTimeout(r, 25));
    expect(await file(index, 'new', raceCopy(3, 'b'))).toMatchObject({ storyId: 'new', duplicateOf: null, kind: 'new' });
  });
});
