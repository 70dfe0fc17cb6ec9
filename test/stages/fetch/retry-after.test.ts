import { describe, expect, it } from 'vitest';
import { retryAfter } from '../../../stages/fetch/retry-after.js';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('retryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(retryAfter('120', now)).toBe(now + 120_000);
    expect(retryAfter(' 0 ', now)).toBe(now);
  });

  it('reads an IMF-fixdate', () => {
    expect(retryAfter('Sun, 01 Jun 2025 12:05:00 GMT', now)).toBe(now + 300_000);
  });

  it('reads the obsolete RFC 850 and asctime forms as UTC', () => {
    expect(retryAfter('Sunday, 01-Jun-25 12:00:30 GMT', now)).toBe(now + 30_000);
    expect(retryAfter('Sun Jun  1 12:01:00 2025', now)).toBe(now + 60_000);
  });

  it('takes a two-digit year more than 50 years ahead as the past century', () => {
    // "80" would be 2080, over 50 years ahead of 2025, so it is 1980: already past, so now.
    expect(retryAfter('Monday, 01-Jan-80 00:00:00 GMT', now)).toBe(now);
  });

  it('never answers a time before now', () => {
    expect(retryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(now);
  });

  it('gives null for an absent, negative, fractional or unreadable value', () => {
    for (const v of [undefined, '', '-5', '1.5', 'soon', 'Sun, 31 Feb 2025 00:00:00 GMT', '2025-06-01T12:05:00Z']) {
      expect(retryAfter(v, now), String(v)).toBeNull();
    }
  });
});
