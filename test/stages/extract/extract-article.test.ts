import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExtractedArticle } from '../../../stages/article.js';
import { cleanDom } from '../../../stages/extract/clean-dom.js';
import { extractArticle, type ExtractOutcome, type FetchedPage } from '../../../stages/extract/extract-article.js';
import { loadDocument } from '../../../stages/extract/load-document.js';

interface Expected {
  title: string;
  authors: string[];
  publishedAt: string | null;
  with: string[];
  without: string[];
  images: { caption: string | null; credit: string | null }[];
  skipped: null | 'empty' | 'not-an-article';
}

const SITE = new URL('../../fixtures/site/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', SITE), 'utf8')) as Record<string, Expected>;
const FETCHED_AT = '2024-12-01T00:00:00.000Z';

function page(html: string, url = 'https://news.example/2024/story', hints?: FetchedPage['hints']): FetchedPage {
  return { url, html, fetchedAt: FETCHED_AT, hints };
}
function article(outcome: ExtractOutcome): ExtractedArticle {
  if (outcome.kind !== 'article') throw new Error(`expected an article, got skipped: ${outcome.reason}: ${outcome.detail}`);
  return outcome.article;
}
const fold = (s: string) => s.replace(/\s+/g, ' ');
// Enough prose to pass as an article body.
const PROSE = [
  'The council met on Tuesday evening to decide the future of the old market hall, which has stood empty since the traders moved out three years ago.',
  'Residents filled the public gallery, and several spoke in favour of turning the building into workshops for small businesses and a covered space for weekend stalls.',
  'Officers warned that the roof would need repairs costing more than a million pounds before anyone could use the hall again, whatever the plan.',
].map((p) => `<p>${p}</p>`).join('\n');

describe('extractArticle on the fixture site', () => {
  for (const [file, want] of Object.entries(expected)) {
    describe(file, () => {
      const outcome = extractArticle(page(readFileSync(new URL(file, SITE), 'utf8'), `http://127.0.0.1:8080/${file}`));

      if (want.skipped) {
        it(`skips the page as ${want.skipped} with a readable detail`, () => {
          expect(outcome).toMatchObject({ kind: 'skipped', reason: want.skipped });
          expect(outcome.kind === 'skipped' && outcome.detail).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:8080/${file}: .{10,}`));
        });
        return;
      }

      it('returns an article that satisfies the ExtractedArticle schema', () => {
        expect(ExtractedArticle.parse(article(outcome))).toEqual(article(outcome));
      });
      it('reads title, authors and publication date', () => {
        const a = article(outcome);
        expect({ title: a.title, authors: a.authors, publishedAt: a.publishedAt }).toEqual({ title: want.title, authors: want.authors, publishedAt: want.publishedAt });
      });
      it('keeps every body snippet in the text', () => {
        const text = fold(article(outcome).text);
        for (const snippet of want.with) expect(text, snippet).toContain(fold(snippet));
      });
      it('keeps navigation, share bars, ads, promos, related lists, comments, captions and credits out of the text', () => {
        const text = fold(article(outcome).text);
        for (const snippet of want.without) expect(text, snippet).not.toContain(fold(snippet));
      });
      it('moves photo captions and credits onto images[], lead image first', () => {
        expect(article(outcome).images.map(({ caption, credit }) => ({ caption, credit }))).toEqual(want.images);
      });
      it('has a body of 300 to 900 words', () => {
        const words = article(outcome).text.split(/\s+/).length;
        expect(words).toBeGreaterThanOrEqual(300);
        expect(words).toBeLessThanOrEqual(900);
      });
    });
  }
});

describe('extractArticle', () => {
  it('moves a photo credit out of the body onto images[]', () => {
    const html = `<html><body><article>${PROSE}
      <figure><img src="/photos/hall.jpg" alt="The hall"><figcaption>The market hall on Tuesday. <span class="credit">Photo: Jane Doe/Reuters</span></figcaption></figure>
      <p>A decision is expected next month, after a survey of the roof and a public consultation on the plans.</p></article></body></html>`;
    const a = article(extractArticle(page(html)));
    expect(a.text).not.toContain('market hall on Tuesday');
    expect(a.text).not.toContain('Jane Doe');
    expect(a.images).toEqual([{ url: 'https://news.example/photos/hall.jpg', caption: 'The market hall on Tuesday.', credit: 'Jane Doe/Reuters', alt: 'The hall' }]);
  });

  it('cuts a caption glued onto a paragraph, as in the seed article, and gives it to the nearest picture', () => {
    const html = `<html><head><meta property="og:image" content="https://cdn.example/lead.jpg"></head><body><article>${PROSE}
      <div><img src="/photos/parade.jpg"></div>
      <p>Additionally, the minister urged aid agencies to act quickly in the region. Members of a militia march in a parade in the city, October 4, 2023. (credit: JOHN ROE/REUTERS)</p>
      <p>The minister also called for more shipments of humanitarian aid, delivered without restrictions to everyone who needs them.</p></article></body></html>`;
    const a = article(extractArticle(page(html)));
    expect(a.text).toContain('Additionally, the minister urged aid agencies to act quickly in the region.\n\nThe minister also called');
    expect(a.text).not.toContain('militia');
    expect(a.text).not.toContain('JOHN ROE');
    expect(a.images).toEqual([
      { url: 'https://cdn.example/lead.jpg', caption: null, credit: null, alt: null },
      { url: 'https://news.example/photos/parade.jpg', caption: 'Members of a militia march in a parade in the city, October 4, 2023.', credit: 'JOHN ROE/REUTERS', alt: null },
    ]);
  });

  it('gives a glued caption to the lead image when the body has no picture', () => {
    const html = `<html><head><meta property="og:image" content="/lead.jpg"></head><body><article>${PROSE}
      <p>The vote is due in May. Traders protest outside the hall on Monday. (Photo: Sam Lee/AFP)</p></article></body></html>`;
    const a = article(extractArticle(page(html)));
    expect(a.text).toMatch(/The vote is due in May\.$/);
    expect(a.images).toEqual([{ url: 'https://news.example/lead.jpg', caption: 'Traders protest outside the hall on Monday.', credit: 'Sam Lee/AFP', alt: null }]);
  });

  it('extracts the seed article without the photo caption glued onto its paragraph', (ctx) => {
    const seed = new URL('../../../../shared/examples/seed-article.txt', import.meta.url);
    if (!existsSync(seed)) return ctx.skip('../shared/examples/seed-article.txt is absent');
    const paragraphs = readFileSync(seed, 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    const html = `<html><body><article>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
    const a = article(extractArticle(page(html)));
    expect(a.text).toContain('to stop the killing of innocent people in Gaza and the West Bank.\n\nThe Iranian FM called on');
    expect(a.text).not.toContain('MOHAMMED SALEM');
    expect(a.text).not.toContain('military parade');
    expect(a.images).toEqual([
      { url: '', caption: expect.stringMatching(/^Palestinian Islamic Jihad terrorists participate .* October 4, 2023\.$/), credit: 'MOHAMMED SALEM/REUTERS', alt: null },
    ]);
  });

  it('separates blocks by one blank line, with headings and list items as their own blocks', () => {
    const html = `<html><body><article>${PROSE}<h2>What happens next</h2><p>Three options are on the table:</p>
      <ul><li>Sell the hall</li><li>Repair it <em>in stages</em></li></ul><blockquote><p>It is the heart of the town.</p></blockquote>
      <p>Line one<br>line two</p></article></body></html>`;
    const { text } = article(extractArticle(page(html)));
    expect(text).toMatch(/whatever the plan\.\n\nWhat happens next\n\nThree options are on the table:\n\nSell the hall\n\nRepair it in stages\n\nIt is the heart of the town\.\n\nLine one\n\nline two$/);
    expect(text).not.toMatch(/\n{3,}|^\s|\s$/);
  });

  it('sanitises the HTML: no script, event handler, javascript: URL, style or iframe survives', () => {
    const html = `<html><body><article>${PROSE}
      <p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or <a href="/about" onmouseover="x()">about us</a>.
      <img src="x" onerror="alert(2)"><script>alert(3)</script><iframe src="https://evil.example"></iframe><span style="color:red">red</span></p>
      <p><a href="data:text/html;base64,PHNjcmlwdD4=">data link</a> and <strong>strong</strong> words.</p></article></body></html>`;
    const a = article(extractArticle(page(html)));
    expect(a.html).not.toMatch(/<script|onerror|onclick|onmouseover|javascript:|data:|<iframe|style=|<img/i);
    expect(a.html).toContain('<a href="https://news.example/about">about us</a>');
    expect(a.html).toContain('<strong>strong</strong>');
    expect(a.html).toMatch(/^<p>The council met/);
  });

  it('does not throw on a <style> with malformed CSS', () => {
    const html = `<html><head><style>a { color: red; } @media screen and { .x { } }} p { {{ ;</style></head><body><article>${PROSE}<style>@import url(</style></article></body></html>`;
    expect(article(extractArticle(page(html))).text).toContain('The council met on Tuesday evening');
  });

  it('fills title, author and date from feed hints only when the page lacks them', () => {
    const hints = { title: 'Feed title', author: 'By Feed Writer', publishedAt: 'Tue, 05 Mar 2024 10:00:00 GMT', categories: ['Local'] };
    const bare = article(extractArticle(page(`<html><body><div>${PROSE}</div></body></html>`, undefined, hints)));
    expect(bare).toMatchObject({ title: 'Feed title', authors: ['Feed Writer'], publishedAt: '2024-03-05T10:00:00.000Z', tags: ['Local'] });
    const rich = `<html><head><meta property="og:title" content="Page title"><meta name="author" content="Page Writer"><meta property="article:published_time" content="2024-03-06T08:00:00Z"></head><body><div>${PROSE}</div></body></html>`;
    expect(article(extractArticle(page(rich, undefined, hints)))).toMatchObject({ title: 'Page title', authors: ['Page Writer'], publishedAt: '2024-03-06T08:00:00.000Z' });
  });

  it('still finds the body when the theme gives its post container a chrome-like class', () => {
    const links = Array.from({ length: 40 }, (_, i) => `<li><a href="/s/${i}">Another headline number ${i}</a></li>`).join('');
    const html = `<html><body><div class="post-content trending-layout">${PROSE}</div><div class="list"><ul>${links}</ul></div></body></html>`;
    expect(article(extractArticle(page(html))).text).toContain('The council met on Tuesday evening');
  });

  describe.each(['jsdom', 'linkedom'] as const)('with dom %s', (dom) => {
    it('keeps the text sections put in their own <header> when those headers hold paragraphs of prose', () => {
      const section = (i: number) => `<article><header><h2>Part ${i}</h2>${PROSE.replaceAll('<p>', `<p>Part ${i}: `)}</header></article>`;
      // A block of 50 words outside the sections, which the first try would take if the headers went.
      const notice = '<div class="embed"><p>External content. To protect your personal data we have blocked the automatic loading of content from a social network. If you want to see content from this provider here, please agree to the terms below. You can withdraw your consent at any time. More information is in our privacy notice.</p></div>';
      const html = `<html><body><main>${[1, 2, 3].map(section).join('')}${notice}</main></body></html>`;
      expect(article(extractArticle(page(html), { dom })).text).toContain('Part 1: Officers warned that the roof');
    });

    it('drops a list of teaser <article>s even when the story itself is not an <article>', () => {
      const teaser = (i: number) => `<li><article class="post_teaser"><h3><a href="/t/${i}">Teaser ${i}</a></h3><p>An excerpt of another story, number ${i}.</p></article></li>`;
      const html = `<html><body><div class="entry">${PROSE}</div><div id="related_posts"><ul>${[1, 2, 3, 4].map(teaser).join('')}</ul></div></body></html>`;
      const { document } = loadDocument(html, 'https://news.example/a', { maxHtmlChars: 1_000_000, dom });
      cleanDom(document.body);
      expect(document.body.textContent).toContain('The council met on Tuesday evening');
      expect(document.body.textContent).not.toContain('An excerpt of another story');
    });

    it('drops the authors\' biographies under an "About the author" heading', () => {
      const html = `<html><body><article>${PROSE}<div class="box"><h2>About the author</h2><p>Jane Doe has covered the council for ten years and lives in the town with two cats.</p></div></article></body></html>`;
      const { text } = article(extractArticle(page(html), { dom }));
      expect(text).toContain('Officers warned that the roof');
      expect(text).not.toContain('two cats');
    });

    it('never takes a cookie notice for the post when the first try found only a short one', () => {
      const nav = Array.from({ length: 30 }, (_, i) => `<a href="/s/${i}">Section ${i}</a>`).join(' ');
      const notice = 'This site uses cookies. By continuing to use this website you agree to their use. To find out more, including how to control cookies and which partners we share them with, read our cookie policy, which explains it all in detail and in plain words.';
      const html = `<html><body><div class="menu-bar">${nav}</div><div class="entry"><p>Short post: the ferry runs again from Monday, the harbour office said, after two weeks of repairs to the ramp.</p></div>
        <div class="cookie-banner"><p>${notice}</p></div></body></html>`;
      const outcome = extractArticle(page(html), { dom });
      expect(outcome.kind === 'article' ? outcome.article.text : '').not.toContain('cookie policy');
    });

    it('gives text in Unicode NFC whichever form the page used', () => {
      const html = `<html><body><article>${PROSE}<p>Cafe\u0301 owners and the Bengali \u09DF spelled two ways.</p></article></body></html>`;
      const { text } = article(extractArticle(page(html), { dom }));
      expect(text).toContain('Caf\u00E9 owners and the Bengali \u09AF\u09BC');
      expect(text).toBe(text.normalize('NFC'));
    });
  });

  it('skips a page whose body is under 40 words as empty', () => {
    expect(extractArticle(page('<html><body><p>Page not found.</p></body></html>'))).toMatchObject({ kind: 'skipped', reason: 'empty' });
    expect(extractArticle(page(''))).toMatchObject({ kind: 'skipped', reason: 'empty' });
  });

  it('skips a stub marked isAccessibleForFree: false as paywall', () => {
    const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Locked","isAccessibleForFree":false}</script></head>
      <body><article><p>The first lines of the story are free to read.</p><p>Subscribe to read the rest of this article.</p></article>
      <nav>${Array.from({ length: 30 }, (_, i) => `<a href="/s/${i}">Section number ${i} of the newspaper</a>`).join(' ')}</nav></body></html>`;
    expect(extractArticle(page(html))).toMatchObject({ kind: 'skipped', reason: 'paywall' });
  });

  it('refuses a page over maxHtmlChars with a permanent NL_PAGE_TOO_LARGE error naming the URL', () => {
    const run = () => extractArticle(page(`<html><body>${PROSE}</body></html>`, 'https://news.example/big'), { maxHtmlChars: 100 });
    expect(run).toThrow(expect.objectContaining({ code: 'NL_PAGE_TOO_LARGE', retryable: false, message: expect.stringContaining('https://news.example/big') }));
  });

  it('refuses a binary body and a relative page URL with permanent errors', () => {
    expect(() => extractArticle(page('%PDF-1.7\u0000\u0001\u0002 binary'))).toThrow(expect.objectContaining({ code: 'NL_PAGE_UNPARSEABLE', retryable: false }));
    expect(() => extractArticle(page(PROSE, '/relative/only'))).toThrow(expect.objectContaining({ code: 'NL_PAGE_URL_INVALID', retryable: false }));
  });

  it('survives hostile markup: deep nesting, unclosed tags, stray bytes', () => {
    const deep = `${'<div>'.repeat(1500)}${PROSE}${'</div>'.repeat(1500)}`;
    for (const html of [deep, `<html><body>${PROSE}<script>never closed`, `<<<>>><p\u0000>${PROSE}</b></i></table>`, '<svg><style>@@@</style></svg>']) {
      expect(['article', 'skipped']).toContain(extractArticle(page(html)).kind);
    }
  });

  it('refuses tag soup nested thousands deep with a permanent error instead of stalling', () => {
    const started = Date.now();
    expect(() => extractArticle(page(`${'<b><div>'.repeat(20_000)}${PROSE}`))).toThrow(expect.objectContaining({ code: 'NL_PAGE_UNPARSEABLE', retryable: false }));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
