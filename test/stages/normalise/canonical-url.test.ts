import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalUrl, chooseCanonicalUrl, foldVariants } from '../../../stages/normalise/canonical-url.js';

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

describe('canonicalUrl, more', () => {
  it.each([
    ['https://news.google.com/news/url?sa=t&url=https://site.example/a?utm_source=gn', 'https://site.example/a'],
    ['https://www.google.com/url?q=https://site.example/b&sa=D', 'https://site.example/b'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fsite.example%2Fc%3Ffbclid%3Dx&h=AT0', 'https://site.example/c'],
    ['https://www-site-example.cdn.ampproject.org/c/s/www.site.example/2026/story/amp', 'https://www.site.example/2026/story/amp'],
    ['https://site.example/a?ref=rss&id=3', 'https://site.example/a?id=3'],
    ['https://site.example/a?ref=12345', 'https://site.example/a?ref=12345'],
    ['https://site.example/a?ref_src=twsrc%5Etfw&gbraid=1', 'https://site.example/a'],
  ])('unwraps and cleans %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('drops configured tracking parameters', () => {
    expect(canonicalUrl('https://site.example/a?src=feed&x=1', { trackingParams: ['SRC'] })).toBe('https://site.example/a?x=1');
  });
});

describe('foldVariants and the page canonical', () => {
  it.each([
    ['https://amp.site.example/story', 'https://site.example/story'],
    ['https://m.site.example/story?amp=1', 'https://site.example/story'],
    ['https://site.example/story/amp/', 'https://site.example/story/'],
    ['https://site.example/story.amp.html', 'https://site.example/story.html'],
  ])('folds %s', (input, expected) => {
    expect(foldVariants(input)).toBe(expected);
  });

  it('takes an AMP page\'s canonical when it agrees, even on another registrable domain', () => {
    expect(chooseCanonicalUrl('https://www-site-example.cdn.ampproject.org/c/s/www.site.example/story/amp', 'https://www.site.example/story')).toBe('https://www.site.example/story');
  });

  it('refuses a canonical that sends a deep page to the home page', () => {
    expect(chooseCanonicalUrl('https://site.example/2026/11/story', 'https://site.example/')).toBe('https://site.example/2026/11/story');
  });
});

describe('canonicalisation properties', () => {
  const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  const param = fc.tuple(fc.constantFrom('id', 'page', 'utm_source', 'fbclid', 'ref', 'q', 'amp', 'x'), fc.stringMatching(/^[a-zA-Z0-9%._-]{0,10}$/));
  const url = fc
    .record({
      scheme: fc.constantFrom('http', 'https', 'HTTPS'),
      host: fc.constantFrom('site.example', 'WWW.Site.Example', 'm.site.example', 'amp.site.co.uk', 'news.google.com', 'l.facebook.com'),
      port: fc.constantFrom('', ':80', ':443', ':8080'),
      path: fc.array(segment, { maxLength: 4 }),
      params: fc.array(param, { maxLength: 5 }),
      hash: fc.constantFrom('', '#top', '#'),
    })
    .map((r) => `${r.scheme}://${r.host}${r.port}/${r.path.join('/')}${r.params.length ? `?${r.params.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}${r.hash}`);

  it('changes nothing when applied twice', () => {
    fc.assert(fc.property(url, (u) => {
      const once = canonicalUrl(u);
      expect(once).not.toBeNull();
      expect(canonicalUrl(once!)).toBe(once);
    }), { numRuns: 2000 });
  });

  it('never keeps a tracking parameter or a fragment', () => {
    fc.assert(fc.property(url, (u) => {
      const c = new URL(canonicalUrl(u)!);
      expect(c.hash).toBe('');
      expect([...c.searchParams.keys()].filter((k) => k.startsWith('utm_') || k === 'fbclid')).toEqual([]);
    }), { numRuns: 1000 });
  });

  it('folds variants idempotently', () => {
    fc.assert(fc.property(url, (u) => {
      const c = canonicalUrl(u)!;
      expect(foldVariants(foldVariants(c))).toBe(foldVariants(c));
    }), { numRuns: 1000 });
  });
});
