import { describe, expect, it } from 'vitest';
import { cacheMaxAgeMs } from '../../../stages/feeds/cache-max-age.js';
import { planNextPoll, type PollPolicy } from '../../../stages/feeds/plan-next-poll.js';
import { readChannelHints } from '../../../stages/feeds/read-channel-hints.js';
import { dropOldItems } from '../../../stages/feeds/select-new-items.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const policy: PollPolicy = { intervalMs: 15 * MIN, maxBackoffMs: 24 * HOUR, maxIntervalMs: 24 * HOUR };
const now = Date.parse('2026-11-25T12:00:00Z');

describe('planNextPoll', () => {
  it('polls again after the interval when the feed asks for nothing', () => {
    expect(planNextPoll({ kind: 'ok', askedMs: [null, null] }, policy, now)).toBe(now + 15 * MIN);
  });

  it('waits as long as the feed asks (max-age, ttl, Retry-After), but no longer than maxInterval', () => {
    expect(planNextPoll({ kind: 'not-modified', askedMs: [HOUR, null, 30 * MIN] }, policy, now)).toBe(now + HOUR);
    expect(planNextPoll({ kind: 'ok', askedMs: [365 * 24 * HOUR] }, policy, now)).toBe(now + 24 * HOUR);
    expect(planNextPoll({ kind: 'ok', askedMs: [MIN] }, policy, now)).toBe(now + 15 * MIN);
  });

  it('doubles the wait per consecutive failure, with jitter, up to maxBackoff', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => planNextPoll({ kind: 'error', consecutiveFailures: n, askedMs: [] }, policy, now, () => 0.5) - now);
    expect(waits.slice(0, 4)).toEqual([15 * MIN, 30 * MIN, 60 * MIN, 120 * MIN]);
    expect(Math.max(...waits)).toBe(24 * HOUR);
    expect(waits.at(-1)).toBe(24 * HOUR);
  });

  it('spreads retries of feeds that failed together by ±20%', () => {
    const low = planNextPoll({ kind: 'error', consecutiveFailures: 3, askedMs: [] }, policy, now, () => 0) - now;
    const high = planNextPoll({ kind: 'error', consecutiveFailures: 3, askedMs: [] }, policy, now, () => 0.999999) - now;
    expect(low).toBe(48 * MIN);
    expect(high).toBeGreaterThan(71 * MIN);
    expect(high).toBeLessThanOrEqual(72 * MIN);
  });

  it('never retries a failing feed before its Retry-After', () => {
    expect(planNextPoll({ kind: 'error', consecutiveFailures: 1, askedMs: [3 * HOUR] }, policy, now, () => 0.5)).toBe(now + 3 * HOUR);
  });
});

describe('readChannelHints', () => {
  it('reads <ttl> in minutes', () => {
    expect(readChannelHints('<rss><channel><title>x</title><ttl>60</ttl><item><ttl>1</ttl></item>').minIntervalMs).toBe(HOUR);
  });
  it('reads sy:updatePeriod divided by sy:updateFrequency', () => {
    const head = '<rdf:RDF><channel><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel><item>';
    expect(readChannelHints(head).minIntervalMs).toBe(6 * HOUR);
  });
  it('ignores what sits inside items and says null when there is nothing', () => {
    expect(readChannelHints('<rss><channel><item><ttl>600</ttl></item>').minIntervalMs).toBeNull();
  });
});

describe('cacheMaxAgeMs', () => {
  it.each([
    ['max-age=300', 300_000],
    ['public, s-maxage=600, max-age=60', 600_000],
    ['no-cache, max-age=300', null],
    ['private', null],
    [undefined, null],
  ])('reads %s', (header, expected) => {
    expect(cacheMaxAgeMs(header)).toBe(expected);
  });
});

describe('dropOldItems', () => {
  it('keeps recent and undated items and drops the old', () => {
    const items = [
      { url: 'a', publishedAt: '2026-11-24T00:00:00.000Z' },
      { url: 'b', publishedAt: '2026-10-01T00:00:00.000Z' },
      { url: 'c', publishedAt: null },
    ];
    expect(dropOldItems(items, now - 7 * 24 * HOUR).map((i) => i.url)).toEqual(['a', 'c']);
  });
});
