import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { redisFeedStateStore } from '../../../adapters/redis/feed-state-store.js';
import { redisPageStore } from '../../../adapters/redis/page-store.js';
import { redisSeenStore } from '../../../adapters/redis/seen-store.js';
import { eventStreamKey, redisEventStream } from '../../../adapters/redis/event-stream.js';
import { testPrefix, useTestRedis } from '../../helpers/redis.js';

const t = useTestRedis();

describe('Redis page store', () => {
  it('round-trips a page under the {prefix} hash tag and deletes it', async () => {
    const pages = redisPageStore(t.redis, 'pfx');
    const body = Buffer.from('<html><body>é café</body></html>'.repeat(1000));
    const ref = await pages.put('https://a.example/x', body);
    expect(ref).toMatch(/^\{pfx\}:page:[0-9a-f]{16}-[0-9a-f]{16}$/);
    expect(gunzipSync((await pages.getGzipped(ref))!).equals(body)).toBe(true);
    expect(await t.redis.strlen(ref)).toBeLessThan(body.length / 10);
    expect(await t.redis.ttl(ref)).toBeGreaterThan(0);
    await pages.delete(ref);
    expect(await pages.getGzipped(ref)).toBeNull();
  });

  it('gives two URLs with the same body separate blobs', async () => {
    const pages = redisPageStore(t.redis, testPrefix());
    const body = Buffer.from('same');
    expect(await pages.put('https://a.example/1', body)).not.toBe(await pages.put('https://b.example/1', body));
  });
});

describe('Redis seen store', () => {
  const item = (guid: string, url = `https://a.example/${guid}`) => ({ seenKey: guid, urlKey: url });

  it('reports only items not yet marked seen in their feed', async () => {
    const seen = redisSeenStore(t.redis, testPrefix());
    await seen.markSeen('https://f.example/rss', item('g1'));
    expect([...(await seen.unseen('https://f.example/rss', [item('g1'), item('g2')]))]).toEqual(['g2']);
  });

  it('treats an article stored from another feed as seen, whatever its guid there', async () => {
    const seen = redisSeenStore(t.redis, testPrefix());
    await seen.markSeen('https://f.example/rss', item('g1', 'https://a.example/story'));
    expect([...(await seen.unseen('https://other.example/atom', [item('urn:x:1', 'https://a.example/story'), item('urn:x:2')]))]).toEqual(['urn:x:2']);
  });

  it('keeps the same guid seen when the item link is edited', async () => {
    const seen = redisSeenStore(t.redis, testPrefix());
    await seen.markSeen('f', item('g1', 'https://a.example/old-slug'));
    expect((await seen.unseen('f', [item('g1', 'https://a.example/new-slug')])).size).toBe(0);
  });

  it('keeps only the newest entries of a feed', async () => {
    const seen = redisSeenStore(t.redis, testPrefix(), 3, 3);
    for (let i = 0; i < 5; i++) await seen.markSeen('f', item(`item-${i}`));
    expect([...(await seen.unseen('f', ['item-0', 'item-1', 'item-2', 'item-4'].map((g) => item(g))))]).toEqual(['item-0', 'item-1']);
  });

  it('forgets an item gone from its feed for three days, and keeps one still listed however old', async () => {
    const prefix = testPrefix();
    const seen = redisSeenStore(t.redis, prefix);
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    // Two items marked four days ago, as markSeen left them.
    const setKey = `{${prefix}}:seen:${sha1('f')}`;
    await t.redis.zadd(setKey, Date.now() - 4 * 86_400_000, sha1('still-listed'), Date.now() - 4 * 86_400_000, sha1('gone'));
    // A poll lists only one of them; a new item is then stored.
    expect([...(await seen.unseen('f', [item('still-listed'), item('new')]))]).toEqual(['new']);
    await seen.markSeen('f', item('new'));
    expect(await t.redis.zcard(setKey)).toBe(2);
    expect([...(await seen.unseen('f', [item('still-listed'), item('gone')]))]).toEqual(['gone']);
  });
});

describe('Redis feed state', () => {
  it('records successes, counts consecutive failures and resets them on recovery', async () => {
    const states = redisFeedStateStore(t.redis, testPrefix());
    const url = 'https://f.example/rss';
    const nextPollAt = '2026-11-25T12:00:00.000Z';
    await states.record(url, 'F', { kind: 'ok', etag: '"e1"', lastModified: null, title: 'Feed', items: 10, newItems: 4, nextPollAt });
    await states.record(url, 'F', { kind: 'error', error: 'NL_HTTP_STATUS: GET x answered 503', nextPollAt });
    await states.record(url, 'F', { kind: 'error', error: 'NL_HTTP_STATUS: GET x answered 503', nextPollAt: '2026-11-25T13:00:00.000Z' });
    let s = await states.get(url);
    expect(s).toMatchObject({ name: 'F', etag: '"e1"', consecutiveFailures: 2, lastStatus: 'error', itemsLastPoll: 10, newItemsLastPoll: 4, nextPollAt: '2026-11-25T13:00:00.000Z' });
    await states.record(url, 'F', { kind: 'not-modified', nextPollAt });
    s = await states.get(url);
    expect(s).toMatchObject({ consecutiveFailures: 0, lastStatus: 'not-modified', lastError: null, etag: '"e1"', polls: 4, notModified: 1, notModifiedRatio: 0.25, itemsSeen: 4 });
    expect((await states.list()).map((x) => x.url)).toEqual([url]);
  });
});

describe('Redis event stream', () => {
  const created = (id: number) => ({ id: String(id), type: 'article.created' as const, articleId: `a${id}`, url: `https://a.example/${id}`, storyId: `a${id}`, duplicateOf: null, at: '2026-12-07T10:00:00.000Z' });

  it('appends each outbox event once: a batch published again after a crash before it was marked adds nothing', async () => {
    const prefix = testPrefix();
    const stream = redisEventStream(t.redis, prefix, 1000);
    expect(await stream.publishAll([created(1), created(2), created(3)])).toBe(3);
    // The crash: rows 2 and 3 were appended but not marked published; the next drain reads 2..4.
    expect(await stream.publishAll([created(2), created(3), created(4)])).toBe(1);
    const entries = await t.redis.xrange(eventStreamKey(prefix), '-', '+');
    expect(entries.map(([, fields]) => fields[fields.indexOf('id') + 1])).toEqual(['1', '2', '3', '4']);
  });

  it('forgets old ids in bounded memory', async () => {
    const prefix = testPrefix();
    const stream = redisEventStream(t.redis, prefix, 100);
    const batch = Array.from({ length: 11_500 }, (_, i) => created(i + 1));
    for (let i = 0; i < batch.length; i += 500) await stream.publishAll(batch.slice(i, i + 500));
    const remembered = await t.redis.zcard(`{${prefix}}:events:appended`);
    expect(remembered).toBeGreaterThanOrEqual(10_000);
    expect(remembered).toBeLessThanOrEqual(11_001);
    // The newest are remembered; the stream itself stays trimmed to about maxLen.
    expect(await stream.publishAll([created(11_500)])).toBe(0);
    expect(await t.redis.xlen(eventStreamKey(prefix))).toBeLessThan(300);
  });
});
