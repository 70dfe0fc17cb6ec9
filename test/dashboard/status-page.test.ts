import { describe, expect, it } from 'vitest';
import { redisStageCounters } from '../../adapters/redis/stage-counters.js';
import { reasonCode, type StatusData } from '../../dashboard/status-data.js';
import { renderStatusPage } from '../../dashboard/status-page.js';
import { QUEUE_NAMES } from '../../queues/names.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

function data(over: Partial<StatusData> = {}): StatusData {
  return {
    generatedAt: '2026-12-07T12:00:00.000Z',
    feeds: [],
    throughput: QUEUE_NAMES.map((stage) => ({ stage, perMinute: new Array<number>(60).fill(0), total: 0 })),
    failures: [],
    failedTotal: 0,
    articles: [],
    articlesError: null,
    ledger: { pending: 0, stored: 0, skipped: 0, failed: 0, oldestPendingAt: null },
    ...over,
  };
}

describe('renderStatusPage', () => {
  it('escapes every stored string: titles, feed names, URLs and error reasons', () => {
    const html = renderStatusPage(data({
      feeds: [{
        url: `https://x.example/feed?q=${HOSTILE}`, name: HOSTILE, title: null, etag: null, lastModified: null, lastPollAt: null, lastSuccessAt: null,
        lastStatus: 'error', lastError: `NL_PARSE: ${HOSTILE}`, consecutiveFailures: 2, itemsLastPoll: 0, newItemsLastPoll: 0, nextPollAt: null,
        polls: 2, notModified: 0, notModifiedRatio: 0, itemsSeen: 0, failing: true, newPerDay: [0, 0, 0, 0, 0, 0, 0],
      }],
      failures: [{ code: 'NL_PARSE', count: 1, byQueue: { feeds: 1 }, examples: [`NL_PARSE: ${HOSTILE}`], lastFailedAt: null }],
      failedTotal: 1,
      articles: [{ id: 'a"1', title: HOSTILE, url: `javascript:alert(3)//${HOSTILE}`, feed: HOSTILE, fetchedAt: '2026-12-07T11:00:00.000Z', publishedAt: null }],
    }), HOSTILE);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('href="/api/articles/a%221"');
    // The only <script> would be ours, and the page has none.
    expect(html.match(/<script/gi)).toBeNull();
  });

  it('says so when storage is not available instead of failing', () => {
    expect(renderStatusPage(data({ articles: null, ledger: null, articlesError: 'storage is not available to this dashboard' })))
      .toContain('storage is not available to this dashboard');
  });

  it('shows the ledger: items per state and since when the oldest has been pending', () => {
    const html = renderStatusPage(data({ ledger: { pending: 3, stored: 1200, skipped: 7, failed: 2, oldestPendingAt: '2026-12-07T11:45:00.000Z' } }));
    const cell = (state: string) => new RegExp(`data-state="${state}">(\\d+)<`).exec(html)?.[1];
    expect([cell('pending'), cell('stored'), cell('skipped'), cell('failed')]).toEqual(['3', '1200', '7', '2']);
    expect(html).toMatch(/<tr class="ledger">.*2026-12-07T11:45:00/);
  });
});

describe('reasonCode', () => {
  it('takes the CODE of "CODE: message" and OTHER otherwise', () => {
    expect(reasonCode('NL_HTTP_STATUS: GET https://x.example/ answered 404')).toBe('NL_HTTP_STATUS');
    expect(reasonCode('job stalled more than allowable limit')).toBe('OTHER');
    expect(reasonCode(undefined)).toBe('OTHER');
  });
});

describe('redisStageCounters', () => {
  it('counts completed jobs per stage and minute, and new articles per feed and day, across callers', async () => {
    const prefix = testPrefix();
    const a = redisStageCounters(t.redis, prefix);
    const b = redisStageCounters(t.redis, prefix);
    const now = Date.UTC(2026, 11, 7, 12, 0, 30);
    await a.completed('fetch', undefined, now - 120_000);
    await b.completed('fetch', undefined, now - 60_000);
    await b.completed('fetch', undefined, now);
    await a.completed('store', 'https://feed.example/rss', now);
    await b.completed('store', 'https://feed.example/rss', now - 86_400_000);
    const perMinute = await a.perMinute(['fetch', 'store', 'extract'], 60, now);
    expect(perMinute.fetch!.slice(-3)).toEqual([1, 1, 1]);
    expect(perMinute.fetch!.reduce((x, y) => x + y, 0)).toBe(3);
    expect(perMinute.store!.at(-1)).toBe(1);
    expect(perMinute.extract).toEqual(new Array(60).fill(0));
    expect((await b.newArticlesPerDay(7, now)).get('https://feed.example/rss')).toEqual([0, 0, 0, 0, 0, 1, 1]);
    // Minute buckets expire on their own.
    const ttl = await t.redis.ttl(`{${prefix}}:throughput:fetch:${Math.floor(now / 3_600_000)}`);
    expect(ttl).toBeGreaterThan(3600);
  });
});
