import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { key } from '../../queues/connection.js';
import { enqueue } from '../../queues/queues.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import type { Article } from '../../stages/article.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { makeArticle } from '../helpers/articles.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let server: FixtureServer;
let pipeline: Pipeline;
let dir: string;
const tries = new Map<string, number>();

function readJson(req: IncomingMessage): Promise<Article> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => resolve(JSON.parse(body) as Article));
  });
}

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startFixtureServer();
  // The tagger answers 503 to each article's first try (and always to "Unlucky" articles), then a patch.
  server.route('/tag', (req, res) => {
    void readJson(req).then((article) => {
      const n = (tries.get(article.id) ?? 0) + 1;
      tries.set(article.id, n);
      if (n === 1 || article.title.startsWith('Unlucky')) return void res.writeHead(503).end('busy');
      res.writeHead(200, { 'content-type': 'application/json', 'x-stage-version': '5' });
      res.end(JSON.stringify({ tags: ['tagged'], sentiment: { score: 0, label: 'neutral' } }));
    });
  });
  dir = mkdtempSync(join(tmpdir(), 'newsloom-enrich-pipeline-'));
  writeFileSync(join(dir, 'broken.mjs'), `export default { name: 'broken', version: '1', writes: ['summary'], run() { throw new Error('model file missing'); } };\n`);
  writeFileSync(join(dir, 'lede.mjs'), `export const stage = { name: 'lede', version: '1', writes: ['summary'],
    run: async (a, { options }) => ({ summary: a.text.split('\\n\\n')[0].slice(0, options.max) }) };\n`);
  const config = parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, 'newsloom.db') },
    fetch: { allowPrivateNetworks: true },
    queues: { attempts: 3, backoff: '50ms' },
    enrich: {
      stages: ['language', 'wordcount', './broken.mjs', { module: './lede.mjs', options: { max: 20 } }, { http: `${server.url}/tag`, name: 'tagger' }],
    },
  }, join(dir, 'newsloom.yaml'));
  pipeline = await startPipeline({ config, redisUrl: redis.url, log: createLogger('silent'), stages: ['enrich', 'store'], schedule: false, configPath: join(dir, 'newsloom.yaml') });
});

afterAll(async () => {
  await pipeline?.close();
  await server?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function enrich(article: Article): Promise<Article> {
  const item = { feed: { url: 'https://news.example.com/rss' }, url: article.url, guid: article.url, discoveredAt: article.fetchedAt };
  await enqueue(pipeline.ctx.queues, 'enrich', { ...item, article }, article.canonicalUrl);
  expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 20_000, 50)).toBe(true);
  return (await (await pipeline.ctx.storage()).getArticle(article.id))!;
}

describe('enrichment in the pipeline, on real Redis, HTTP and SQLite', () => {
  it('stores the article with a failing stage recorded, a user module stage and an HTTP stage applied', async () => {
    const stored = await enrich(makeArticle({ language: null, wordCount: 0 }));
    expect(stored.language).toBe('en');
    expect(stored.wordCount).toBe(11);
    expect(stored.enrichment.broken).toMatchObject({ version: '1', error: 'model file missing' });
    expect(stored.summary).toBe('The council approved');
    expect(stored.enrichment.lede).toMatchObject({ version: '1', error: null });
    expect(stored.tags).toEqual(['tagged']);
    expect(stored.sentiment).toEqual({ score: 0, label: 'neutral' });
    expect(stored.enrichment.tagger).toMatchObject({ version: '5', error: null });
    expect(Object.keys(stored.enrichment)).toEqual(['language', 'wordcount', 'broken', 'lede', 'tagger']);
  });

  it('retried the job with backoff after the HTTP stage answered 503', async () => {
    const id = makeArticle().id;
    expect(tries.get(id)).toBe(2);
    const [job] = await pipeline.ctx.queues.enrich.getCompleted(0, 0);
    expect(job!.attemptsMade).toBe(2);
  });

  it('records a 503 that outlasts every try and still stores the article', async () => {
    const article = makeArticle({ canonicalUrl: 'https://news.example.com/2026/11/unlucky', title: 'Unlucky budget' });
    const stored = await enrich(article);
    expect(tries.get(article.id)).toBe(3);
    expect(stored.enrichment.tagger!.error).toBe(`NL_HTTP_STAGE_STATUS: POST ${server.url}/tag answered 503: busy`);
    expect(stored.tags).toEqual([]);
    expect(stored.summary).toBe('The council approved');
  });

  it('counts each stored article into the term statistics of its language once', async () => {
    const prefix = pipeline.ctx.config.redis.prefix;
    expect(await pipeline.ctx.redis.get(key(prefix, 'terms', 'en', 'documents'))).toBe('2');
    expect(Number(await pipeline.ctx.redis.hget(key(prefix, 'terms', 'en'), 'budget'))).toBe(2);
    expect(Number(await pipeline.ctx.redis.hget(key(prefix, 'terms', 'en'), 'council'))).toBe(2);
  });

  it('fails a reprocess job naming a stage this worker does not run, without storing', async () => {
    const article = makeArticle();
    const item = { feed: { url: 'https://news.example.com/rss' }, url: article.url, guid: article.url, discoveredAt: article.fetchedAt };
    await enqueue(pipeline.ctx.queues, 'enrich', { ...item, article, reprocess: true, only: ['nope'] }, 'reprocess-nope');
    expect(await waitForDrain(pipeline.ctx.queues, Date.now() + 20_000, 50)).toBe(true);
    const [failed] = await pipeline.ctx.queues.enrich.getFailed(0, 0);
    expect(failed!.failedReason).toBe("NL_REPROCESS_STAGE: reprocess asks for stage nope, which this worker's enrich.stages does not run");
    expect(failed!.attemptsMade).toBe(1);
  });
});
