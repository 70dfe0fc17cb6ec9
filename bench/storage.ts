// npm run bench:storage (tsx bench/storage.ts) — issue 8, "Storage".
// ARTICLES (default 100,000) synthetic articles written to each backend the way the store worker
// does it: one upsertArticle (one transaction, outbox event included) then the outbox drained
// (pendingEvents, markPublished), per article, one at a time (queues.concurrency.store = 1); for
// PostgreSQL also CONCURRENCY (default 4) at once, as store workers on several processes may.
// There is no batched variant: the store worker writes one article per job. Prints articles/s, p50/p95 ms per upsert, database size, and
// the median/p95 ms of SEARCHES full-text searches (1–2 words of varied frequency, limit 20) over
// the stored articles, the backends side by side.
// SQLite: a file in a temp dir, WAL, synchronous=NORMAL (as newsloom runs it). PostgreSQL: a
// server started in a temp dir by test/helpers/postgres.ts with fsync on and
// synchronous_commit=off, the same durability class as SQLite's WAL + NORMAL (a power cut may
// lose the last commits, never corrupt); other settings are PostgreSQL's defaults.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStorage } from '../adapters/storage/postgres-storage.js';
import { openSqliteStorage } from '../adapters/storage/sqlite-storage.js';
import type { Storage } from '../adapters/storage/storage.js';
import type { Article } from '../stages/article.js';
import { articleId, contentHash } from '../stages/normalise/normalise-article.js';
import { startTestPostgres, type TestPostgres } from '../test/helpers/postgres.js';

const ARTICLES = Number(process.env.ARTICLES ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const SEARCHES = Number(process.env.SEARCHES ?? 200);
const WORDS_PER_ARTICLE = 300;
const LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'de', 'de', 'fr', 'es'];

// A fixed pseudo-random sequence, so every run and backend stores the same articles.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 20,000 made-up words drawn with a Zipf-like law, as words are in text.
const SYLLABLES = ['ba', 'ko', 'ri', 'sta', 'len', 'mor', 'vi', 'tan', 'el', 'dru', 'qua', 'ne', 'pol', 'sim', 'ur', 'gra'];
const rnd = random(8);
const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => {
  let w = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) w += SYLLABLES[n % SYLLABLES.length];
  return w;
});
const word = () => VOCABULARY[Math.min(VOCABULARY.length - 1, Math.floor(Math.exp(rnd() * Math.log(VOCABULARY.length)) - 1))]!;

function syntheticArticle(i: number): Article {
  const canonicalUrl = `https://site${i % 500}.example.com/2026/11/article-${i}`;
  const sentences: string[] = [];
  for (let n = 0; n < WORDS_PER_ARTICLE; n += 15) sentences.push(`${Array.from({ length: 15 }, word).join(' ')}.`);
  const paragraphs = [0, 1, 2, 3, 4].map((p) => sentences.slice(p * 4, p * 4 + 4).join(' ')).filter(Boolean);
  const text = paragraphs.join('\n\n');
  const id = articleId(canonicalUrl);
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id, url: canonicalUrl, canonicalUrl, feed: { url: `https://site${i % 500}.example.com/rss` }, siteName: `Site ${i % 500}`,
    title: Array.from({ length: 8 }, word).join(' '), subtitle: null, authors: ['A. Writer'], publishedAt: at, modifiedAt: null,
    fetchedAt: at, language: LANGUAGES[i % LANGUAGES.length]!, section: null, tags: [], text,
    html: paragraphs.map((p) => `<p>${p}</p>`).join(''), wordCount: WORDS_PER_ARTICLE, images: [], contentHash: contentHash(text),
    storyId: id, duplicateOf: null, enrichment: {},
  };
}

interface Row {
  backend: string;
  seconds: number;
  latenciesMs: number[];
  bytes: number;
  searchMs: number[];
  hits: number;
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function upsertAll(storage: Storage, articles: Article[], concurrency: number): Promise<{ seconds: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let next = 0;
  // As workers/publish-outbox.ts: after each upsert, pending events are read and marked published
  // one by one, one drain at a time per process (publishing to Redis is not part of this measure).
  let chain = Promise.resolve();
  const drain = () => (chain = chain.then(async () => {
    for (let events = await storage.pendingEvents(100); events.length > 0; events = await storage.pendingEvents(100)) {
      for (const { seq } of events) await storage.markPublished([seq]);
    }
  }));
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < articles.length; i = next++) {
      const t = performance.now();
      await storage.upsertArticle(articles[i]!);
      await drain();
      latenciesMs.push(performance.now() - t);
      if (i > 0 && i % 20_000 === 0) process.stderr.write(`  ${storage.info.backend}: ${i} upserted\n`);
    }
  }));
  return { seconds: (performance.now() - started) / 1000, latenciesMs };
}

async function searchAll(storage: Storage): Promise<{ searchMs: number[]; hits: number }> {
  const queries = random(42);
  const pick = (lo: number, hi: number) => VOCABULARY[lo + Math.floor(queries() * (hi - lo))]!;
  const searchMs: number[] = [];
  let hits = 0;
  for (let n = 0; n < SEARCHES + 20; n++) {
    // Common, middling and rare words, one or two.
    const q = n % 3 === 0 ? pick(20, 200) : n % 3 === 1 ? `${pick(20, 500)} ${pick(200, 2000)}` : pick(1000, 10_000);
    const t = performance.now();
    const found = await storage.search(q, { limit: 20 });
    if (n >= 20) {
      searchMs.push(performance.now() - t);
      hits += found.length;
    }
  }
  return { searchMs, hits };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  // Made before any clock starts: only storage is timed.
  const articles = Array.from({ length: ARTICLES }, (_, i) => syntheticArticle(i));
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-storage-'));
  let server: TestPostgres | null = null;
  try {
    process.stderr.write(`sqlite: upserting ${ARTICLES}\n`);
    const file = join(dir, 'bench.db');
    const sqlite = openSqliteStorage(file);
    const s = await upsertAll(sqlite, articles, 1);
    const sq = await searchAll(sqlite);
    await sqlite.close();
    const bytes = ['', '-wal', '-shm'].reduce((sum, ext) => sum + (statSync(file + ext, { throwIfNoEntry: false })?.size ?? 0), 0);
    rows.push({ backend: 'SQLite, 1 writer', ...s, bytes, ...sq });

    server = await startTestPostgres({ durable: true });
    for (const concurrency of [1, CONCURRENCY]) {
      process.stderr.write(`postgres: upserting ${ARTICLES}, ${concurrency} at once\n`);
      const url = await server.createDatabase();
      const postgres = await openPostgresStorage(url, { poolSize: concurrency });
      const p = await upsertAll(postgres, articles, concurrency);
      const client = new pg.Client(url);
      await client.connect();
      await client.query('VACUUM ANALYZE');
      const size = Number((await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows[0]!.size);
      await client.end();
      const pq = await searchAll(postgres);
      await postgres.close();
      rows.push({ backend: `PostgreSQL, ${concurrency} writer${concurrency > 1 ? 's' : ''}`, ...p, bytes: size, ...pq });
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  print(rows);
}

function print(rows: Row[]): void {
  const table = [
    ['backend', 'articles', 'articles/s', 'p50 ms/article', 'p95 ms/article', 'DB MB', 'search median ms', 'search p95 ms', 'hits/search'],
    ...rows.map((r) => [
      r.backend, String(ARTICLES), (ARTICLES / r.seconds).toFixed(0), quantile(r.latenciesMs, 0.5).toFixed(3), quantile(r.latenciesMs, 0.95).toFixed(3),
      (r.bytes / 1e6).toFixed(0), quantile(r.searchMs, 0.5).toFixed(2), quantile(r.searchMs, 0.95).toFixed(2), (r.hits / r.searchMs.length).toFixed(1),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nstorage: ${ARTICLES} synthetic articles of ${WORDS_PER_ARTICLE} words, each one upsert (one transaction) and the outbox drain, as the store worker does; ${SEARCHES} searches, limit 20`);
  console.log(line(table[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
}

await main();
