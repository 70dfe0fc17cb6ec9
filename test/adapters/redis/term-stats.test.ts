import { describe, expect, it } from 'vitest';
import { redisTermStats } from '../../../adapters/redis/term-stats.js';
import { key } from '../../../queues/connection.js';
import { testPrefix, useTestRedis } from '../../helpers/redis.js';

const t = useTestRedis();

describe('redisTermStats', () => {
  it('counts an article once however often it is offered, per language', async () => {
    const prefix = testPrefix();
    const terms = redisTermStats(t.redis, prefix);
    expect(await terms.count('a1', 'en', ['budget', 'council'])).toBe(true);
    expect(await terms.count('a1', 'en', ['budget', 'council'])).toBe(false);
    expect(await terms.count('a2', 'en', ['budget', 'city council'])).toBe(true);
    expect(await terms.count('a3', 'de', ['haushalt'])).toBe(true);
    const en = await terms.lookup('en', ['budget', 'council', 'city council', 'haushalt']);
    expect(en.documents).toBe(2);
    expect(en.documentFrequency('budget')).toBe(2);
    expect(en.documentFrequency('council')).toBe(1);
    expect(en.documentFrequency('city council')).toBe(1);
    expect(en.documentFrequency('haushalt')).toBe(0);
    expect((await terms.lookup('de', ['haushalt'])).documentFrequency('haushalt')).toBe(1);
    expect(await t.redis.pttl(key(prefix, 'terms-counted', 'a1'))).toBeGreaterThan(29 * 86_400_000);
  });

  it('counts at most maxTermsPerArticle terms of one article', async () => {
    const prefix = testPrefix();
    const terms = redisTermStats(t.redis, prefix, { maxTermsPerArticle: 3 });
    await terms.count('a1', 'en', ['a', 'b', 'c', 'd', 'e']);
    expect(await t.redis.hlen(key(prefix, 'terms', 'en'))).toBe(3);
  });

  it('prunes a table past maxTableTerms of its rarest terms, keeping the frequent ones', async () => {
    const prefix = testPrefix();
    const terms = redisTermStats(t.redis, prefix, { maxTableTerms: 50 });
    for (let i = 0; i < 30; i++) await terms.count(`a${i}`, 'en', ['budget', 'council', `rare-${i}`, `rarer-${i}`]);
    const size = await t.redis.hlen(key(prefix, 'terms', 'en'));
    expect(size).toBeLessThanOrEqual(50);
    const snapshot = await terms.lookup('en', ['budget', 'council']);
    expect(snapshot.documents).toBe(30);
    expect(snapshot.documentFrequency('budget')).toBe(30);
    expect(snapshot.documentFrequency('council')).toBe(30);
  });

  it('files articles without a language under "und"', async () => {
    const prefix = testPrefix();
    const terms = redisTermStats(t.redis, prefix);
    await terms.count('a1', null, ['x']);
    expect((await terms.lookup(null, ['x'])).documentFrequency('x')).toBe(1);
    expect(await t.redis.hget(key(prefix, 'terms', 'und'), 'x')).toBe('1');
  });

  it('looks up only the terms asked for, in one round trip, always current', async () => {
    const prefix = testPrefix();
    const terms = redisTermStats(t.redis, prefix);
    await terms.count('a1', 'en', ['budget', 'council']);
    const first = await terms.lookup('en', ['budget', 'budget', 'unseen']);
    expect(first.documents).toBe(1);
    expect(first.documentFrequency('budget')).toBe(1);
    expect(first.documentFrequency('unseen')).toBe(0);
    // Not asked for: unknown to this lookup, though counted.
    expect(first.documentFrequency('council')).toBe(0);
    await terms.count('a2', 'en', ['budget']);
    expect((await terms.lookup('en', ['budget'])).documentFrequency('budget')).toBe(2);
    expect((await terms.lookup('en', [])).documents).toBe(2);
  });
});
