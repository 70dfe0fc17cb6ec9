// A separate process that files story copies through the Redis story index, for the race test in
// story-index.test.ts:  node --import tsx story-claimer.ts <redisUrl> <prefix> <worker> <rounds>
// Connects and signs every copy, prints "ready", waits for "go" on stdin, then claims every round at
// once (as a worker with high concurrency would), so two processes' lookups and commits interleave
// in Redis. Prints one JSON line per round.
import { Redis } from 'ioredis';
import { redisStoryIndex } from '../../../adapters/redis/story-index.js';
import { decideStory, DEFAULT_STORY_OPTIONS } from '../../../stages/dedupe/decide-story.js';
import { storySignature } from '../../../stages/dedupe/story-signature.js';
import { contentHash } from '../../../stages/normalise/normalise-article.js';
import { raceCopy } from './story-race-texts.js';

const [url = '', prefix = '', worker = 'w', roundsArg = '0'] = process.argv.slice(2);
const redis = new Redis(url);
const index = redisStoryIndex(redis, prefix, { windowMs: 3_600_000 });
const copies = Array.from({ length: Number(roundsArg) }, (_, round) => {
  const text = raceCopy(round, worker);
  return { round, id: `${worker}-${round}`, hash: contentHash(text), sig: storySignature(text) };
});
await redis.ping();
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const results = await Promise.all(copies.map(async ({ round, id, hash, sig }) => {
    const d = await index.claim({ articleId: id, contentHash: hash, ...sig }, (c) => decideStory({ id }, sig.minhash, c, DEFAULT_STORY_OPTIONS));
    return { round, id, storyId: d.storyId, duplicateOf: d.duplicateOf };
  }));
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  await redis.quit();
});
