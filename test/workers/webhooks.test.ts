import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { eventStreamKey } from '../../adapters/redis/event-stream.js';
import { verifySignature } from '../../adapters/webhooks/sign-payload.js';
import { redisWebhookCursor } from '../../adapters/webhooks/webhook-cursor.js';
import { hashTagPrefix } from '../../queues/connection.js';
import { WEBHOOK_QUEUE } from '../../queues/webhook-queue.js';
import { contentHash } from '../../stages/normalise/normalise-article.js';
import type { Article } from '../../stages/article.js';
import { publishOutbox } from '../../workers/publish-outbox.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { drainWebhook } from '../../workers/webhooks.js';
import { makeArticle } from '../helpers/articles.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';
import { startReceiver, until, type Receiver } from './webhooks-receiver.js';

const SECRET = 'whsec-0123456789abcdef';
const redis = useTestRedis();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  receiver: Receiver;
  pipeline: Pipeline;
  /** Stores an article as the store worker does: upsert, then publish the outbox. */
  store(article: Article): Promise<void>;
}

async function setup(opts: { allowPrivateNetworks?: boolean } = {}): Promise<Setup> {
  const receiver = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-webhooks-'));
  const config = parseConfig({
    redis: { prefix: testPrefix() },
    storage: { sqlite: join(dir, 'newsloom.db') },
    fetch: { allowPrivateNetworks: opts.allowPrivateNetworks ?? true },
    events: { webhooks: [{ name: 'main', url: receiver.url, secret: SECRET }], delivery: { backoff: 20, maxBackoff: 200 } },
  }, 'test');
  const pipeline = await startPipeline({ config, redisUrl: redis.server.url, log: createLogger('silent'), stages: ['store'], schedule: false });
  cleanups.push(async () => {
    await pipeline.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    receiver, pipeline,
    async store(article) {
      await (await pipeline.ctx.storage()).upsertArticle(article);
      await publishOutbox(pipeline.ctx);
    },
  };
}

const articleAt = (slug: string) => makeArticle({ canonicalUrl: `https://news.example.com/2026/12/${slug}` });
const edited = (a: Article): Article => {
  const text = `${a.text}\n\nCorrection: the vote was 5 to 4.`;
  return { ...a, text, contentHash: contentHash(text) };
};

describe('webhook delivery', () => {
  it('POSTs each event as JSON signed over its timestamp and body; a tampered body fails the check', async () => {
    const { receiver, store } = await setup();
    const a = articleAt('signed');
    await store(a);
    await receiver.accepts(1);
    const [d] = receiver.accepted;
    expect(d!.headers['content-type']).toBe('application/json');
    expect(d!.headers['newsloom-event']).toBe('article.created');
    expect(d!.headers['newsloom-delivery']).toBe(d!.id);
    expect(JSON.parse(d!.body)).toMatchObject({ id: d!.id, type: 'article.created', articleId: a.id, url: a.canonicalUrl, storyId: a.storyId, duplicateOf: null });
    const signature = d!.headers['newsloom-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(signature, d!.body, SECRET)).toBe(true);
    expect(verifySignature(signature, d!.body.replace(a.id, 'someone-elses-article'), SECRET)).toBe(false);
    expect(verifySignature(signature, d!.body, 'another-secret-of-16-chars')).toBe(false);
    // Replayed an hour later, the same signature is refused: the timestamp is signed too.
    const t = Number(/t=(\d+)/.exec(signature)![1]);
    expect(verifySignature(signature, d!.body, SECRET, 300, t + 3600)).toBe(false);
  });

  it('gives a receiver that failed and was down every event once it is back, once each, in order', async () => {
    const { receiver, pipeline, store } = await setup();
    const [a, b, c] = [articleAt('a'), articleAt('b'), articleAt('c')];
    receiver.mode = 'failing';
    await store(a);
    await store(b);
    // Retried with backoff while it answers 500…
    await until(() => receiver.requests >= 3);
    await receiver.down();
    const failures = () => pipeline.ctx.metrics.get('newsloom_webhook_failures_total', { webhook: 'main' });
    const before = failures();
    // …and while nothing listens (ECONNREFUSED); more events are stored meanwhile.
    await store(edited(a));
    await store(c);
    await until(() => failures() >= before + 2);
    expect(receiver.accepted).toEqual([]);
    receiver.mode = 'ok';
    await receiver.up();
    await receiver.accepts(4);
    await store(edited(b));
    await receiver.accepts(5);
    const got = receiver.accepted.map((d) => JSON.parse(d.body) as { id: string; type: string; articleId: string });
    expect(got.map((e) => [e.type, e.articleId])).toEqual([
      ['article.created', a.id], ['article.created', b.id], ['article.updated', a.id], ['article.created', c.id], ['article.updated', b.id],
    ]);
    const ids = got.map((e) => Number(e.id));
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it('refuses a webhook on a private address when fetch.allowPrivateNetworks is false', async () => {
    const { receiver, pipeline, store } = await setup({ allowPrivateNetworks: false });
    await store(articleAt('private'));
    const queue = new Queue(WEBHOOK_QUEUE, { connection: pipeline.ctx.redis, prefix: hashTagPrefix(pipeline.ctx.config.redis.prefix) });
    cleanups.push(() => queue.close());
    await until(async () => (await queue.getJobs(['failed'])).length > 0);
    const [failed] = await queue.getJobs(['failed']);
    expect(failed!.failedReason).toMatch(/^NL_SSRF: .*127\.0\.0\.1.*loopback/);
    // Permanent: not retried.
    expect(failed!.attemptsMade).toBe(1);
    expect(receiver.requests).toBe(0);
  });
});

describe('a gap in the outbox', () => {
  it('waits for an event not yet committed, then passes a seq that never will be', async () => {
    const receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'newsloom-webhooks-gap-'));
    const path = join(dir, 'newsloom.db');
    const config = parseConfig({
      redis: { prefix: testPrefix() }, storage: { sqlite: path }, fetch: { allowPrivateNetworks: true },
      events: { webhooks: [{ name: 'main', url: receiver.url, secret: SECRET }] },
    }, 'test');
    // No stage: nothing drains but this test.
    const pipeline = await startPipeline({ config, redisUrl: redis.server.url, log: createLogger('silent'), stages: [], schedule: false });
    cleanups.push(async () => {
      await pipeline.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    });
    // A webhook never started begins after the events already stored; this one from the first.
    await redisWebhookCursor(pipeline.ctx.redis, pipeline.ctx.config.redis.prefix, 'main').init(0);
    const storage = await pipeline.ctx.storage();
    for (const slug of ['one', 'two', 'three']) await storage.upsertArticle(articleAt(slug));
    // Seq 2 missing, as when a PostgreSQL transaction holding it is still committing or rolled back.
    const db = new Database(path);
    db.prepare('DELETE FROM outbox WHERE seq = 2').run();
    db.close();
    const hook = pipeline.ctx.config.events.webhooks[0]!;
    const log = createLogger('silent');
    await expect(drainWebhook(pipeline.ctx, hook, log, 60_000)).rejects.toMatchObject({ code: 'NL_WEBHOOK_GAP', retryable: true });
    expect(receiver.accepted.map((d) => d.id)).toEqual(['1']);
    expect(await drainWebhook(pipeline.ctx, hook, log, 0)).toEqual({ delivered: 1, skipped: 0 });
    expect(receiver.accepted.map((d) => d.id)).toEqual(['1', '3']);
  });
});

describe('the events stream', () => {
  it('holds one entry per event with id, type, articleId or feedUrl, and the event as JSON in data', async () => {
    const { pipeline, store } = await setup();
    const a = articleAt('streamed');
    await store(a);
    const storage = await pipeline.ctx.storage();
    const feedUrl = 'https://news.example.com/rss';
    await storage.recordFeedEvent({ type: 'feed.failing', feedUrl, feedName: 'Example', error: 'NL_HTTP_STATUS: GET x answered 500', consecutiveFailures: 3, at: new Date().toISOString() });
    await publishOutbox(pipeline.ctx);
    const entries = await pipeline.ctx.redis.xrange(eventStreamKey(pipeline.ctx.config.redis.prefix), '-', '+');
    expect(entries).toHaveLength(2);
    const [[, article], [, feed]] = entries as [[string, string[]], [string, string[]]];
    expect(article.filter((_, i) => i % 2 === 0)).toEqual(['id', 'type', 'articleId', 'data']);
    expect(article.slice(0, 6)).toEqual(['id', '1', 'type', 'article.created', 'articleId', a.id]);
    const articleData = JSON.parse(article[7]!) as Record<string, unknown>;
    expect(Object.keys(articleData)).toEqual(['id', 'type', 'articleId', 'url', 'storyId', 'duplicateOf', 'at']);
    expect(articleData).toMatchObject({ id: '1', type: 'article.created', articleId: a.id, url: a.canonicalUrl, storyId: a.storyId, duplicateOf: null });
    expect(feed.slice(0, 6)).toEqual(['id', '2', 'type', 'feed.failing', 'feedUrl', feedUrl]);
    const feedData = JSON.parse(feed[7]!) as Record<string, unknown>;
    expect(Object.keys(feedData)).toEqual(['id', 'type', 'feedUrl', 'feedName', 'error', 'consecutiveFailures', 'at']);
    expect(feedData).toMatchObject({ id: '2', type: 'feed.failing', feedUrl, feedName: 'Example', consecutiveFailures: 3 });
    expect(Date.parse(feedData.at as string)).not.toBeNaN();
  });
});

describe('publishing from several processes', () => {
  it('appends each event once and in order when two processes publish the same outbox at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsloom-publish-'));
    const config = parseConfig({ redis: { prefix: testPrefix() }, storage: { sqlite: join(dir, 'newsloom.db') } }, 'test');
    const start = () => startPipeline({ config, redisUrl: redis.server.url, log: createLogger('silent'), stages: [], schedule: false });
    const [one, two] = [await start(), await start()];
    cleanups.push(async () => {
      await one.close();
      await two.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const storage = await one.ctx.storage();
    for (let i = 0; i < 30; i++) await storage.upsertArticle(articleAt(`many-${i}`));
    const published = await Promise.all([one, two, one, two].map((p) => publishOutbox(p.ctx, 7)));
    expect(published.reduce((a, b) => a + b, 0)).toBe(30);
    const entries = await one.ctx.redis.xrange(eventStreamKey(config.redis.prefix), '-', '+');
    expect(entries.map(([, f]) => Number(f[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

describe('webhook config', () => {
  const parse = (events: unknown) => () => parseConfig({ events }, 'newsloom.yaml');
  it('names the key of each mistake, without echoing a secret', () => {
    expect(parse({ webhooks: [{ name: 'a', url: 'ftp://x', secret: 'short-secret' }] })).toThrow(
      'newsloom.yaml: events.webhooks[0].url: expected an http:// or https:// webhook URL, got "ftp://x"\n' +
      'newsloom.yaml: events.webhooks[0].secret: expected a secret of at least 16 characters, got 12 characters');
    expect(parse({ webhooks: [{ name: 'a', url: 'https://x.example/h', secret: SECRET, types: ['article.deleted'] }] }))
      .toThrow(/events\.webhooks\[0\]\.types\[0\]: .*"feed\.recovered", got "article\.deleted"/);
    const twice = { url: 'https://x.example/h', secret: SECRET, name: 'same' };
    expect(parse({ webhooks: [twice, twice] })).toThrow('events.webhooks[1].name: expected a name no other webhook has, got "same" twice');
    expect(parse({ delivery: { maxBackoff: 'soon' } })).toThrow('events.delivery.maxBackoff: expected a duration like "15m", got "soon"');
  });
});
