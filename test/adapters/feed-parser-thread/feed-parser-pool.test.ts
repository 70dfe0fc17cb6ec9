import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedParserPool } from '../../../adapters/feed-parser-thread/feed-parser-pool.js';
import { parseFeedInThread } from '../../../adapters/feed-parser-thread/parse-feed-in-thread.js';
import { FeedParseError } from '../../../stages/feeds/feed-parse-error.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url));
// A real, honest worst case: a 24 MB feed of 400,000 items, far more than any parse budget below allows.
const huge = `<rss version="2.0"><channel>${'<item><title>t</title><link>https://x.example/a</link></item>'.repeat(400_000)}</channel></rss>`;
const small = '<rss version="2.0"><channel><item><link>/a</link></item></channel></rss>';

const pools: FeedParserPool[] = [];
const pool = (limits: ConstructorParameters<typeof FeedParserPool>[0]) => {
  const p = new FeedParserPool(limits);
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('parsing feeds in worker threads', () => {
  it('parses a TypeScript-loaded parser in a thread and answers with the document', async () => {
    const doc = await parseFeedInThread(fixture('rss2.xml'), { contentType: 'application/rss+xml', url: 'https://news.example/rss' });
    expect(doc.format).toBe('rss2.0');
    expect(doc.items[0]).toMatchObject({ title: 'Council approves the new bridge', guid: 'news-example-1003' });
  });

  it('reuses its threads across parses', async () => {
    const p = pool({ size: 2 });
    await Promise.all(Array.from({ length: 8 }, () => p.parse(small, { url: 'https://x.example/f' })));
    expect(p.threads).toBe(2);
  });

  it('rebuilds a FeedParseError from the plain object the thread sends', async () => {
    const p = pool({ size: 1 });
    const err = await p.parse(fixture('html-page.html'), { contentType: 'text/html', url: 'https://x.example/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect(err).toMatchObject({ code: 'NL_FEED_PARSE', retryable: false, message: 'parse feed https://x.example/: no <rss>, <feed>, <rdf:RDF> root or JSON Feed' });
  });

  it('kills a parse that runs past its time limit, then serves the next parse from a fresh thread', async () => {
    const p = pool({ size: 1, timeoutMs: 100 });
    const err = await p.parse(huge, { url: 'https://x.example/huge' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_FEED_PARSE_TIMEOUT', message: 'parse feed https://x.example/huge: no result within 100 ms, parser thread stopped' });
    expect(p.threads).toBe(0);
    // A fresh thread's first parse warms the JIT, which on a loaded machine can take longer than 100 ms.
    const doc = await p.parse(small, { url: 'https://x.example/f' }, { timeoutMs: 10_000 });
    expect(doc.items[0]!.link).toBe('https://x.example/a');
    expect(p.threads).toBe(1);
  });

  it('fails a parse that exceeds the thread memory cap with a readable error, and the process lives on', async () => {
    const p = pool({ size: 1, timeoutMs: 30_000, maxOldGenerationSizeMb: 32 });
    const err = await p.parse(huge, { url: 'https://x.example/huge' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_FEED_PARSE_MEMORY', retryable: false, message: 'parse feed https://x.example/huge: parser thread ran out of memory (limit 32 MB)' });
    expect((await p.parse(small, { url: 'https://x.example/f' })).items).toHaveLength(1);
  });

  it('parses a billion-laughs feed without expanding it', async () => {
    const doc = await parseFeedInThread(fixture('billion-laughs.xml'), { url: 'https://laughs.example/rss' }, { timeoutMs: 2_000, maxOldGenerationSizeMb: 64 });
    expect(doc.items[0]!.title).toBe('&lol9; &xxe;');
  });

  it('refuses work after close', async () => {
    const p = pool({ size: 1 });
    await p.close();
    await expect(p.parse(small, { url: null })).rejects.toMatchObject({ code: 'NL_POOL_CLOSED' });
  });
});
