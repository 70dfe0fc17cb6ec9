import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractPool, type ExtractPoolOptions } from '../../../adapters/extract-thread/extract-pool.js';
import { NewsloomError } from '../../../lib/errors.js';
import { extractArticle, type FetchedPage } from '../../../stages/extract/extract-article.js';
import { decodeText } from '../../../stages/fetch/decode-text.js';

const site = (name: string) => readFileSync(new URL(`../../fixtures/site/${name}`, import.meta.url), 'utf8');
const page = (html: string, url = 'https://news.example/articles/story.html'): FetchedPage => ({ url, html, fetchedAt: '2024-09-04T00:00:00.000Z' });
const ferry = page(site('harbour-ferry.html'), 'https://news.example/articles/harbour-ferry.html');
// Slow honestly, by size: 8,000 paragraphs in one article take jsdom and Readability many seconds.
const slow = page(`<html><body><article>${'<div class="x"><p>Some words of a paragraph that goes on, with <a href="/a">a link</a>.</p></div>'.repeat(8_000)}</article></body></html>`);

const pools: ExtractPool[] = [];
const pool = (opts: ExtractPoolOptions) => {
  const p = new ExtractPool(opts);
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

/** Runs `work` while a 10 ms interval ticks in this thread; returns its result and the longest gap between ticks. */
async function withLoopWatch<T>(work: () => Promise<T>): Promise<{ result: T; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { result, maxGapMs: Math.max(maxGapMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

describe('extracting pages in worker threads', () => {
  it.each(['jsdom', 'linkedom'] as const)('gives the same outcome in a thread as in process, with dom %s', async (dom) => {
    const out = await pool({ size: 1 }).extract(ferry, { dom });
    expect(out).toEqual(extractArticle(ferry, { dom }));
    expect(out).toMatchObject({ kind: 'article', article: { title: 'Harbour ferry returns after two-year rebuild, with a quieter electric engine' } });
  });

  it('runs pages on as many threads as its size, and reuses them', async () => {
    const p = pool({ size: 2 });
    const outs = await Promise.all(Array.from({ length: 6 }, () => p.extract(ferry, { dom: 'linkedom' })));
    expect(outs.every((o) => o.kind === 'article')).toBe(true);
    expect(p.threads).toBe(2);
  });

  it('refuses a page nested 100,000 levels deep with a NewsloomError rebuilt from the thread, and keeps the caller responsive', async () => {
    const p = pool({ size: 1 });
    const { result, maxGapMs } = await withLoopWatch(() => p.extract(page(`<html><body>${'<div>'.repeat(100_000)}deep</body></html>`)).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(NewsloomError);
    expect(result).toMatchObject({ code: 'NL_PAGE_UNPARSEABLE', retryable: false, message: expect.stringMatching(/tags nest about 100000 levels deep, over 2000/) });
    expect(maxGapMs).toBeLessThan(1_000);
  });

  it('refuses a 20 MB page by its size without stalling the caller', async () => {
    const p = pool({ size: 1 });
    const huge = page(`<html><body>${'<p>Twenty megabytes of paragraphs, every one of them the same.</p>'.repeat(320_000)}</body></html>`);
    expect(huge.html.length).toBeGreaterThan(20_000_000);
    const { result, maxGapMs } = await withLoopWatch(() => p.extract(huge).catch((e: unknown) => e));
    expect(result).toMatchObject({ code: 'NL_PAGE_TOO_LARGE', retryable: false, message: expect.stringMatching(/page is 2\d{7} characters, over the limit of 5000000/) });
    expect(maxGapMs).toBeLessThan(1_000);
  });

  it('refuses a binary body and skips an empty page, saying why', async () => {
    const p = pool({ size: 1 });
    const png = String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 2000 }, (_, i) => (i * 7) % 256));
    await expect(p.extract(page(png))).rejects.toMatchObject({ code: 'NL_PAGE_UNPARSEABLE', message: expect.stringMatching(/page body is binary, not HTML/) });
    await expect(p.extract(page(''))).resolves.toMatchObject({ kind: 'skipped', reason: 'empty' });
  });

  it('gives a best-effort article from a truncated page and from one whose declared charset is wrong', async () => {
    const p = pool({ size: 1 });
    const truncated = await p.extract({ ...ferry, html: ferry.html.slice(0, Math.floor(ferry.html.length * 0.6)) });
    expect(truncated.kind).toBe('article');
    // windows-1252 bytes under <meta charset="utf-8">: "é" decodes to U+FFFD, the article survives.
    const latin = Buffer.from(ferry.html.replace('<head>', '<head><meta charset="utf-8">').replaceAll('harbour', 'harbour café'), 'latin1');
    const wrong = await p.extract({ ...ferry, html: decodeText(latin, 'text/html', 'html') });
    expect(wrong).toMatchObject({ kind: 'article', article: { text: expect.stringContaining('caf\uFFFD') } });
  });

  it('unpacks and decodes a stored (gzipped) page in the thread, with the charset it was served with', async () => {
    const p = pool({ size: 1 });
    const { url, fetchedAt } = ferry;
    const plain = gzipSync(Buffer.from(ferry.html, 'utf8'));
    expect(await p.extract({ url, fetchedAt, gzipped: plain, contentType: 'text/html; charset=utf-8' })).toEqual(extractArticle(ferry, {}));
    // windows-1252 bytes served as such: decoded in the thread, "é" intact.
    const latinHtml = ferry.html.replaceAll('harbour', 'harbour café');
    const latin = gzipSync(Buffer.from(latinHtml, 'latin1'));
    const out = await p.extract({ url, fetchedAt, gzipped: latin, contentType: 'text/html; charset=windows-1252' });
    expect(out).toEqual(extractArticle({ ...ferry, html: latinHtml }, {}));
    expect(out).toMatchObject({ kind: 'article', article: { text: expect.stringContaining('harbour café') } });
  });

  it('sends only the bytes of a stored page that is a view on a larger buffer', async () => {
    const p = pool({ size: 1 });
    const gz = gzipSync(Buffer.from(ferry.html, 'utf8'));
    // As a Redis reply can be: the blob in the middle of a larger buffer, with other bytes around it.
    const big = Buffer.alloc(gz.length + 20_000, 0x41);
    gz.copy(big, 10_000);
    const view = big.subarray(10_000, 10_000 + gz.length);
    await expect(p.extract({ url: ferry.url, fetchedAt: ferry.fetchedAt, gzipped: view, contentType: 'text/html' })).resolves.toEqual(extractArticle(ferry, {}));
  });

  it('fails a stored page that does not unpack with NL_PAGE_CORRUPT, not retried, and goes on', async () => {
    const p = pool({ size: 1 });
    const gz = gzipSync(Buffer.from(ferry.html, 'utf8'));
    const broken = Buffer.concat([gz.subarray(0, 40), Buffer.alloc(200, 0xff)]);
    await expect(p.extract({ url: ferry.url, fetchedAt: ferry.fetchedAt, gzipped: broken, contentType: 'text/html' })).rejects.toMatchObject({
      code: 'NL_PAGE_CORRUPT',
      retryable: false,
      message: expect.stringMatching(new RegExp(`^extract ${ferry.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the stored page does not unpack: `)),
    });
    await expect(p.extract(ferry)).resolves.toMatchObject({ kind: 'article' });
  });

  it('kills a page over its time budget with its thread, says why, and extracts the next page on a fresh thread', async () => {
    const p = pool({ size: 1, timeBudgetMs: 1_000 });
    // The thread is up: its start-up is not charged to the slow page. Its first page warms jsdom and the
    // JIT, which on a loaded machine can take more than the 1 s under test (CI saw it): a budget of its own.
    await p.extract(ferry, {}, { timeBudgetMs: 20_000 });
    const started = performance.now();
    const { result, maxGapMs } = await withLoopWatch(() => p.extract(slow, { dom: 'jsdom' }).catch((e: unknown) => e));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result).toBeInstanceOf(NewsloomError);
    expect(result).toMatchObject({
      code: 'NL_EXTRACT_TIMEOUT',
      retryable: true,
      message: `extract ${slow.url}: not extracted within its time budget of 1000 ms (${slow.html.length} characters of HTML); extraction thread stopped`,
    });
    expect(maxGapMs).toBeLessThan(1_000);
    expect(p.threads).toBe(0);
    // The fresh thread's first page pays for warming jsdom and the JIT, which on a loaded machine
    // alone can exceed the 1 s that made the slow page fail: it gets the default budget.
    await expect(p.extract(ferry, {}, { timeBudgetMs: 20_000 })).resolves.toMatchObject({ kind: 'article' });
    expect(p.threads).toBe(1);
  });

  it('replaces a thread after its quota of pages', async () => {
    const p = pool({ size: 1, pagesPerThread: 2 });
    for (let i = 0; i < 5; i++) await expect(p.extract(ferry, { dom: 'linkedom' })).resolves.toMatchObject({ kind: 'article' });
    expect(p.threads).toBeLessThanOrEqual(1);
  });

  it('fails pages still waiting when it closes, and refuses new ones', async () => {
    const p = new ExtractPool({ size: 1 });
    const running = p.extract(ferry).catch((e: unknown) => e);
    const waiting = p.extract(ferry).catch((e: unknown) => e);
    await p.close();
    expect(await waiting).toMatchObject({ code: 'NL_POOL_CLOSED' });
    expect(await running).toBeDefined();
    await expect(p.extract(ferry)).rejects.toMatchObject({ code: 'NL_POOL_CLOSED', message: `extract ${ferry.url}: the extraction pool is closed` });
  });
});
