import { describe, expect, it } from 'vitest';

describe('the package main export (built by npm prepare)', () => {
  it('parses a feed through `import { parseFeed } from "newsloom"`', async () => {
    const lib = (await import('newsloom')) as typeof import('../index.js');
    const out = lib.parseFeed('<rss><channel><title>T</title><item><title>A</title><link>/a</link></item></channel></rss>', { url: 'https://e.example/feed' });
    expect(out.format).toBe('rss2.0');
    expect(out.items.map((i) => i.link)).toEqual(['https://e.example/a']);
  });

  it('throws the exported FeedParseError on what is not a feed', async () => {
    const lib = (await import('newsloom')) as typeof import('../index.js');
    expect(() => lib.parseFeed('<html><body>hi</body></html>', { url: 'https://e.example/' })).toThrow(lib.FeedParseError);
  });
});
