import { describe, expect, it } from 'vitest';
import { canonicalUrl, chooseCanonicalUrl } from '../../../stages/normalise/canonical-url.js';

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://News.Example.COM:443/a/b?b=2&a=1#comments', 'https://news.example.com/a/b?a=1&b=2'],
    ['http://example.com:80/x?utm_source=rss&utm_medium=feed&id=7', 'http://example.com/x?id=7'],
    ['https://example.com/x?fbclid=abc&gclid=def&mc_cid=1&igshid=2', 'https://example.com/x'],
    ['https://user:pw@example.com./story', 'https://example.com/story'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
  ])('canonicalises %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('refuses what is not http(s)', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
  });

  it('changes nothing when applied twice', () => {
    const inputs = ['https://A.example/%7Efoo?z=1&utm_x=2&a=b c#f', 'http://x.example/?q=%20&q=a', 'https://x.example/path/../other?'];
    for (const input of inputs) {
      const once = canonicalUrl(input)!;
      expect(canonicalUrl(once)).toBe(once);
    }
  });
});

describe('chooseCanonicalUrl', () => {
  it('takes the page canonical on the same registrable domain', () => {
    expect(chooseCanonicalUrl('https://m.example.co.uk/a?utm_source=x', 'https://www.example.co.uk/a')).toBe('https://www.example.co.uk/a');
  });

  it('ignores a canonical pointing at another site', () => {
    expect(chooseCanonicalUrl('https://news.example.com/a', 'https://evil.example.net/a')).toBe('https://news.example.com/a');
  });

  it('falls back to the fetched URL when the canonical is missing or broken', () => {
    expect(chooseCanonicalUrl('https://news.example.com/a#x', null)).toBe('https://news.example.com/a');
    expect(chooseCanonicalUrl('https://news.example.com/a', 'javascript:void(0)')).toBe('https://news.example.com/a');
  });
});
