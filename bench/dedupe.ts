// npm run bench:dedupe (tsx bench/dedupe.ts) — issue 6, "Measured".
//  1. Precision and recall of "same story" on the labelled pairs in test/fixtures/story-pairs
//     (a pair is "same" when b shares an LSH band with a and decideStory files b under a), with a
//     per-kind breakdown and a threshold sweep.
//  2. ARTICLES (default 100,000) synthetic articles through the dedupe decision and the Redis story
//     index against a real redis-server (test/helpers/redis.ts), CONCURRENCY claims in flight:
//     articles/s, Redis memory per article (INFO memory used_memory), Redis round trips and
//     commands per article, at 10k and at the end, and the peak RSS of this process.
// Synthetic mix: 70% new stories, 20% near copies of an earlier one (tagline, curly quotes, an
// added paragraph), 10% exact copies under another URL.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { redisStoryIndex } from '../adapters/redis/story-index.js';
import { decideStory, DEFAULT_STORY_OPTIONS } from '../stages/dedupe/decide-story.js';
import { DEFAULT_SIGNATURE_OPTIONS, storySignature } from '../stages/dedupe/story-signature.js';
import { contentHash } from '../stages/normalise/normalise-article.js';
import { PAIRS_FILE, type StoryPair } from '../test/fixtures/story-pairs/generate.js';
import { startTestRedis, testPrefix } from '../test/helpers/redis.js';

const ARTICLES = Number(process.env.ARTICLES ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const WINDOW_MS = 7 * 86_400_000;

function labelledSet(): void {
  const pairs = JSON.parse(readFileSync(PAIRS_FILE, 'utf8')) as StoryPair[];
  const scored = pairs.map((p) => {
    const a = storySignature(p.a.text);
    const b = storySignature(p.b.text);
    const sameText = contentHash(p.a.text) === contentHash(p.b.text);
    const banded = sameText || a.bands.some((k) => b.bands.includes(k));
    return { p, a, b, sameText, banded };
  });
  const evaluate = (threshold: number) => {
    let tp = 0, fp = 0, fn = 0;
    const wrong: string[] = [];
    for (const { p, a, b, sameText, banded } of scored) {
      const cand = [{ articleId: 'a', storyId: 'a', seq: 1, minhash: a.minhash, sameText }];
      const same = banded && decideStory({ id: 'b' }, b.minhash, cand, { threshold }).kind !== 'new';
      if (same && p.same) tp++;
      else if (same) { fp++; wrong.push(`FP ${p.id}`); }
      else if (p.same) { fn++; wrong.push(`FN ${p.id}`); }
    }
    return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn, wrong };
  };
  const same = pairs.filter((p) => p.same).length;
  const o = DEFAULT_SIGNATURE_OPTIONS;
  console.log(`labelled set: ${pairs.length} pairs (${same} same story, ${pairs.length - same} different), ` +
    `${o.shingle}-word shingles, ${o.hashes} hashes, ${o.bands} bands x ${o.rows} rows, threshold ${DEFAULT_STORY_OPTIONS.threshold}`);
  const r = evaluate(DEFAULT_STORY_OPTIONS.threshold);
  console.log(`  precision ${r.precision.toFixed(3)}  recall ${r.recall.toFixed(3)}  (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})`);
  for (const w of r.wrong) console.log(`    ${w}`);
  const kinds = [...new Set(pairs.map((p) => p.kind))];
  for (const kind of kinds) {
    const ks = scored.filter((s) => s.p.kind === kind);
    const ests = ks.map((s) => (s.sameText ? 1 : estimateOf(s.a.minhash, s.b.minhash))).sort((x, y) => x - y);
    console.log(`  ${kind.padEnd(28)} ${String(ks.length).padStart(3)} pairs, label ${ks[0]!.p.same ? 'same     ' : 'different'}, estimated similarity ${ests[0]!.toFixed(2)}..${ests[ests.length - 1]!.toFixed(2)}`);
  }
  console.log('  threshold sweep:');
  for (const t of [0.4, 0.45, 0.5, 0.53, 0.55, 0.6, 0.65, 0.7]) {
    const s = evaluate(t);
    console.log(`    ${t.toFixed(2)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`);
  }
}

function estimateOf(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

// Deterministic synthetic news text: ~300 words from a 20,000-word vocabulary with Zipf-like reuse.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const VOCAB = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
function syntheticStory(seed: number): string {
  const r = rng(seed);
  const paragraph = () => Array.from({ length: 40 + Math.floor(r() * 30) }, () => VOCAB[Math.floor(VOCAB.length * r() ** 2)]).join(' ');
  return Array.from({ length: 5 + Math.floor(r() * 3) }, paragraph).join('\n\n');
}

/** The original story article i copies (itself when it is an original); copies point back up to ~2,000 articles. */
function origin(i: number): number {
  if (i === 0 || rng(i * 7919 + 1)() >= 0.3) return i;
  return origin(Math.max(0, i - 1 - Math.floor(rng(i)() * 2000)));
}

async function stats(redis: Redis): Promise<{ memory: number; commands: number; evalsha: number }> {
  const mem = await redis.info('memory');
  const st = await redis.info('stats');
  const cs = await redis.info('commandstats');
  return {
    memory: Number(/used_memory:(\d+)/.exec(mem)?.[1] ?? 0),
    commands: Number(/total_commands_processed:(\d+)/.exec(st)?.[1] ?? 0),
    evalsha: Number(/cmdstat_evalsha:calls=(\d+)/.exec(cs)?.[1] ?? 0) + Number(/cmdstat_eval:calls=(\d+)/.exec(cs)?.[1] ?? 0),
  };
}

async function throughput(): Promise<void> {
  const server = await startTestRedis();
  const redis = new Redis(server.url);
  const probe = new Redis(server.url);
  const prefix = testPrefix();
  const index = redisStoryIndex(redis, prefix, { windowMs: WINDOW_MS });
  const kinds = { new: 0, near: 0, exact: 0 };
  const planned = { new: 0, near: 0, exact: 0 };
  try {
    const base = await stats(probe);
    let prev = { ...base, at: 0, ms: performance.now() };
    const started = performance.now();
    console.log(`\nthroughput: ${ARTICLES} articles, ${CONCURRENCY} in flight, window 7d, Redis ${server.url}`);
    console.log('  articles   articles/s   bytes/article   round trips/article   commands/article   (segment since previous line)');
    let next = 0;
    const checkpoints = [10_000, ARTICLES].filter((n, i, a) => n <= ARTICLES && a.indexOf(n) === i);
    for (const checkpoint of checkpoints) {
      const lane = async () => {
        while (next < checkpoint) {
          const i = next++;
          const r = rng(i * 7919 + 1)();
          const source = origin(i);
          let text = syntheticStory(source);
          planned[source === i ? 'new' : r < 0.1 ? 'exact' : 'near']++;
          if (source !== i && r >= 0.1) text = `${text.replace(/ w1 /g, ' “w1” ')}\n\n${syntheticStory(i).split('\n\n')[0]}\n\nThis story was compiled from wire reports.`;
          const sig = storySignature(text);
          const id = `article-${i.toString(16).padStart(8, '0')}`;
          const d = await index.claim({ articleId: id, contentHash: contentHash(text), ...sig }, (c) => decideStory({ id }, sig.minhash, c, DEFAULT_STORY_OPTIONS));
          kinds[d.kind]++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      const now = { ...(await stats(probe)), at: checkpoint, ms: performance.now() };
      const n = now.at - prev.at;
      // The two INFO calls and this probe's own commands are left in; they are 3 per segment.
      console.log(`  ${String(checkpoint).padStart(8)}   ${(n / ((now.ms - prev.ms) / 1000)).toFixed(0).padStart(10)}   ` +
        `${((now.memory - prev.memory) / n).toFixed(0).padStart(13)}   ${((now.evalsha - prev.evalsha) / n).toFixed(2).padStart(19)}   ` +
        `${((now.commands - prev.commands) / n).toFixed(2).padStart(16)}`);
      prev = now;
    }
    const end = await stats(probe);
    const secs = (performance.now() - started) / 1000;
    console.log(`  overall: ${(ARTICLES / secs).toFixed(0)} articles/s, ${((end.memory - base.memory) / ARTICLES).toFixed(0)} bytes/article, ` +
      `${((end.evalsha - base.evalsha) / ARTICLES).toFixed(2)} round trips/article, ${((end.commands - base.commands) / ARTICLES).toFixed(2)} commands/article`);
    console.log(`  decisions: ${kinds.new} new, ${kinds.near} near copies, ${kinds.exact} exact copies (generated ${planned.new}/${planned.near}/${planned.exact})`);
    console.log(`  peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; Redis used_memory ${(end.memory / 1048576).toFixed(0)} MB`);
  } finally {
    await redis.quit();
    await probe.quit();
    await server.stop();
  }
}

labelledSet();
await throughput();
