import { describe, expect, it } from 'vitest';
import { loadDocument, type DomKind } from '../../../stages/extract/load-document.js';

const URL_ = 'https://news.example/2024/05/story.html';
const load = (html: string, dom: DomKind, maxHtmlChars = 5_000_000) => loadDocument(html, URL_, { maxHtmlChars, dom });

describe.each(['jsdom', 'linkedom'] as const)('loadDocument with %s', (dom) => {
  it('gives a fragment without <html>, <head> or <body> the skeleton a browser gives it', () => {
    const { document, close } = load('<title>Floods</title><meta name="author" content="A"><p>First <b>para</b>.</p><p>Second.</p>', dom);
    expect(document.documentElement.localName).toBe('html');
    expect(document.head.querySelector('title')?.textContent).toBe('Floods');
    expect(document.head.querySelector('meta[name="author"]')).not.toBeNull();
    expect([...document.body.children].map((el) => el.localName)).toEqual(['p', 'p']);
    expect(document.body.textContent).toBe('First para.Second.');
    close();
  });

  it('keeps text written after </body> and </html> in the body, in order', () => {
    const { document } = load('<!doctype html><html><head><title>T</title></head><body><p>one</p></body></html><p>two</p>', dom);
    expect([...document.body.querySelectorAll('p')].map((p) => p.textContent)).toEqual(['one', 'two']);
    expect(document.querySelectorAll('body')).toHaveLength(1);
  });

  it('ends an explicit <head> at the first node that cannot be in one and puts the rest in the body, as the HTML parser does', () => {
    const { document } = load('<!doctype html><html><head><title>T</title><meta charset="utf-8"><noscript><img src="/p.gif"></noscript><br><div><p>Story text.</p></div><footer>F</footer></head></html>', dom);
    expect(document.head.querySelector('title')?.textContent).toBe('T');
    expect(document.head.querySelector('div, footer')).toBeNull();
    expect(document.body.querySelector('div p')?.textContent).toBe('Story text.');
    expect(document.body.textContent).toBe('Story text.F');
  });

  it('parses plain text and an empty string into an empty page, not an error', () => {
    expect(load('just words', dom).document.body.textContent).toBe('just words');
    const empty = load('', dom).document;
    expect(empty.body.textContent).toBe('');
    expect(empty.documentElement.localName).toBe('html');
  });

  it('knows the page URL, and a <base href>, so relative links resolve as in a browser', () => {
    expect(load('<p>x</p>', dom).document.baseURI).toBe(URL_);
    expect(load('<p>x</p>', dom).document.documentURI).toBe(URL_);
    expect(load('<head><base href="/other/"></head><p>x</p>', dom).document.baseURI).toBe('https://news.example/other/');
  });

  it('cuts <style>, <script>, comments and inline <svg> before parsing, and keeps JSON-LD', () => {
    const html =
      '<head><style>p { color: red; } @media {{{ broken</style><script>var a = "<p>not text</p>";</script>' +
      '<script type="application/ld+json">{"@type":"NewsArticle"}</script></head>' +
      '<body><!-- <p>commented out</p> --><p>Kept <svg viewBox="0 0 1 1"><text>icon</text></svg>text.</p><!--></body>';
    const { document } = load(html, dom);
    expect(document.querySelectorAll('style, svg')).toHaveLength(0);
    expect([...document.querySelectorAll('script')].map((s) => s.getAttribute('type'))).toEqual(['application/ld+json']);
    expect(document.body.textContent).toBe('Kept text.');
  });

  it('refuses a binary body, a page over the size limit and tag soup nested 100,000 deep, saying why', () => {
    expect(() => load('%PDF-1.7\n\u0000\u0001\u0002', dom)).toThrow(expect.objectContaining({ code: 'NL_PAGE_UNPARSEABLE', retryable: false, message: `extract ${URL_}: page body is binary, not HTML` }));
    expect(() => load('<p>x</p>'.repeat(100), dom, 500)).toThrow(expect.objectContaining({ code: 'NL_PAGE_TOO_LARGE', message: `extract ${URL_}: page is 800 characters, over the limit of 500` }));
    const started = performance.now();
    expect(() => load('<div>'.repeat(100_000), dom)).toThrow(expect.objectContaining({ code: 'NL_PAGE_UNPARSEABLE', message: expect.stringMatching(/nest about 100000 levels deep/) }));
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('parses a page nested 1,500 deep (under the limit) without overflowing the stack', () => {
    const { document } = load(`<body>${'<div>'.repeat(1_500)}<p>deep</p>${'</div>'.repeat(1_500)}</body>`, dom);
    expect(document.querySelector('p')?.textContent).toBe('deep');
  });

  it('closes: a closed page can be dropped, and closing twice is harmless', () => {
    const loaded = load('<p>x</p>', dom);
    expect(loaded.dom).toBe(dom);
    loaded.close();
    expect(() => loaded.close()).not.toThrow();
  });
});

describe('loadDocument', () => {
  it('parses with jsdom when no DOM is named', () => {
    const loaded = loadDocument('<p>x</p>', URL_, { maxHtmlChars: 100 });
    expect(loaded.dom).toBe('jsdom');
    loaded.close();
  });

  it('refuses a page URL that is not absolute', () => {
    expect(() => loadDocument('<p>x</p>', '/relative', { maxHtmlChars: 100, dom: 'linkedom' })).toThrow(expect.objectContaining({ code: 'NL_PAGE_URL_INVALID' }));
  });
});
