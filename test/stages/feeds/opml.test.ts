import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportOpml, importOpml } from '../../../cli/feeds-sources.js';
import { parseOpml, writeOpml, type OpmlFeed } from '../../../stages/feeds/opml.js';
import { decodeText } from '../../../stages/fetch/decode-text.js';

const fixturePath = (name: string) => new URL(`../../fixtures/opml/${name}`, import.meta.url).pathname;
const fixture = (name: string) => parseOpml(decodeText(readFileSync(fixturePath(name)), null, 'xml'), name);
const byUrl = (config: { feeds: Array<{ url: string }> }) => [...config.feeds].sort((a, b) => a.url.localeCompare(b.url));
const brief = (feeds: OpmlFeed[]) => feeds.map((f) => ({ url: f.url, title: f.title, tags: f.tags }));

describe('parseOpml', () => {
  it('reads a nested OPML 2.0 export: folders become tags, outer first, and a feed in two folders is one feed', () => {
    const doc = fixture('nested.opml');
    expect(doc.title).toBe('Subscriptions in Feedly');
    expect(brief(doc.feeds)).toEqual([
      { url: 'https://loose.example/feed.xml', title: 'Loose Feed', tags: [] },
      { url: 'https://feeds.arstechnica.example/arstechnica/index', title: 'Ars Technica', tags: ['Tech', 'News'] },
      { url: 'https://go.example/blog/feed.atom', title: 'Go Blog', tags: ['Tech', 'Programming'] },
      { url: 'https://untitled.example/rss', title: null, tags: ['Tech', 'Programming'] },
      { url: 'https://news.example/world?format=rss&lang=en', title: 'World & Politics', tags: ['News'] },
    ]);
    expect(doc.feeds[0]!.htmlUrl).toBe('https://loose.example/');
    expect(doc.skipped).toEqual([]);
  });

  it('turns each segment of slash-delimited, comma-separated categories into a tag, after the folders', () => {
    expect(brief(fixture('categories.opml').feeds)).toEqual([
      { url: 'https://weather.example/boston.rss', title: 'Weather in Boston', tags: ['Boston', 'Weather', 'Harvard'] },
      { url: 'http://scripting.example/rss.xml', title: 'Scripting News', tags: ['blogs', 'tech'] },
      { url: 'https://deep.example/feed', title: 'Deep', tags: ['Folder with categories', 'Tech', 'Deep'] },
    ]);
  });

  it('reads an OPML 1.0 Bloglines export in windows-1252 with xmlurl, url and upper-case attribute names', () => {
    const doc = fixture('opml1-bloglines.opml');
    expect(doc.title).toBe('Bloglines Subscriptions – Café');
    expect(brief(doc.feeds)).toEqual([
      { url: 'http://cafe.example/index.rdf', title: 'Café Society', tags: ['Subscriptions'] },
      { url: 'http://radio.example/rss.xml', title: 'Radio Weblog', tags: ['Subscriptions'] },
      { url: 'http://lower.example/rss', title: 'Lower case', tags: ['Subscriptions'] },
    ]);
  });

  it('keeps what it can of a broken file and says, with line numbers, what it skipped', () => {
    const doc = fixture('malformed.opml');
    expect(doc.title).toBe('Hand-made & broken');
    expect(brief(doc.feeds)).toEqual([
      // Unquoted attributes, an HTML entity in the folder title, a tag that never closes.
      { url: 'https://unquoted.example/feed', title: 'Unquoted', tags: ['Science études'] },
      { url: 'https://bare.example/rss?a=1&b=2', title: 'Bare & ampersand', tags: ['Science études'] },
      { url: 'http://feedscheme.example/rss', title: 'Feed scheme', tags: ['Science études'] },
      { url: 'https://quote.example/rss', title: 'Broken quote title=', tags: ['Science études'] },
      // The DOCTYPE's entities are never expanded.
      { url: 'https://entity.example/rss', title: 'Entity', tags: ['Science études'] },
      // </body> closes the folder that was never closed.
      { url: 'https://after.example/rss', title: 'After body', tags: [] },
    ]);
    expect(doc.skipped).toEqual([
      { line: 12, reason: 'outline "Script": xmlUrl "javascript:alert(1)" is not an http(s) URL' },
      { line: 13, reason: 'outline "Include": OPML includes are not followed' },
    ]);
  });

  it('does not let an unclosed feed outline swallow its siblings into a folder', () => {
    const doc = parseOpml(`<opml><body>
      <outline text="A"><outline text="a1" xmlUrl="https://a.example/1"></outline>
      <outline text="B"><outline text="b1" xmlUrl="https://b.example/1">
      <outline text="b2" xmlUrl="https://b.example/2"></outline></outline>
      <outline text="top" xmlUrl="https://top.example/"/>
    </body></opml>`);
    expect(brief(doc.feeds).map((f) => [f.title, f.tags])).toEqual([['a1', ['A']], ['b1', ['A', 'B']], ['b2', ['A', 'B']], ['top', ['A']]]);
  });

  it('merges tags of a repeated feed without repeating a tag that differs only in case', () => {
    const doc = parseOpml(`<opml><body>
      <outline text="News"><outline text="x" xmlUrl="https://x.example/"/></outline>
      <outline text="news"><outline text="x again" xmlUrl="https://x.example/" category="World"/></outline>
    </body></opml>`);
    expect(brief(doc.feeds)).toEqual([{ url: 'https://x.example/', title: 'x', tags: ['News', 'World'] }]);
  });

  it('refuses a file that is not OPML, naming it', () => {
    expect(() => parseOpml('<!DOCTYPE html><html><body>hello</body></html>', 'subs.opml')).toThrow(
      /^parse subs\.opml: not an OPML document \(no <opml> or <outline> element\)$/,
    );
  });
});

describe('writeOpml', () => {
  const feeds = [
    { url: 'https://a.example/rss?x=1&y=2', name: 'Fish & "Chips" <Weekly>' },
    { url: 'https://b.example/feed', name: 'Bé ☕ 📰', tags: ['Tech', 'News', 'Tom\'s'] },
    { url: 'https://c.example/atom' },
    { url: 'https://d.example/feed', name: 'Tab\there\u0001', tags: ['Tech'] },
  ];

  it('writes well-formed OPML 2.0 that a strict XML parser accepts', () => {
    const xml = writeOpml(feeds);
    const dom = new JSDOM(xml, { contentType: 'application/xml' });
    const doc = dom.window.document;
    expect(doc.documentElement.getAttribute('version')).toBe('2.0');
    expect(doc.querySelector('head > title')?.textContent).toBe('newsloom feeds');
    const outlines = [...doc.querySelectorAll('outline[xmlUrl]')].map((o) => [o.getAttribute('text'), o.getAttribute('xmlUrl'), o.getAttribute('category')]);
    expect(outlines).toEqual([
      ['Fish & "Chips" <Weekly>', 'https://a.example/rss?x=1&y=2', null],
      ['https://c.example/atom', 'https://c.example/atom', null],
      ['Bé ☕ 📰', 'https://b.example/feed', "News,Tom's"],
      ['Tab\there', 'https://d.example/feed', null],
    ]);
    expect(doc.querySelector('body > outline:not([xmlUrl])')?.getAttribute('text')).toBe('Tech');
    dom.window.close();
  });

  it('gives the same bytes for the same feeds: no timestamps', () => {
    expect(writeOpml(feeds)).toBe(writeOpml(feeds));
  });

  it('round-trips urls, names and tags through parseOpml', () => {
    const parsed = fixture('nested.opml');
    const again = parseOpml(writeOpml(parsed.feeds.map((f) => ({ url: f.url, name: f.title, tags: f.tags }))));
    expect(brief(again.feeds).sort((a, b) => a.url.localeCompare(b.url))).toEqual(brief(parsed.feeds).sort((a, b) => a.url.localeCompare(b.url)));
  });
});

describe('importOpml and exportOpml (cli/feeds-sources)', () => {
  const configText = `# my newsloom config
fetch:
  allowPrivateNetworks: false # keep this comment

feeds:
  # the one feed I had before
  - url: https://feeds.arstechnica.example/arstechnica/index
    name: Ars (mine)
    interval: 5m
`;
  const temp = () => mkdtempSync(join(tmpdir(), 'newsloom-opml-'));

  it('adds new feeds with names and flow-style tags, tags an existing entry, and keeps comments', () => {
    const doc = parseDocument(configText);
    const summary = importOpml(fixturePath('nested.opml'), doc);
    expect(summary).toMatchObject({ added: 4, tagged: 1, unchanged: 0, skipped: [] });
    expect(summary.message).toMatch(/nested\.opml: 4 added, 1 tagged, 0 already present, 0 skipped$/);
    const text = doc.toString();
    expect(text).toContain('# my newsloom config');
    expect(text).toContain('# keep this comment');
    expect(text).toContain('# the one feed I had before');
    expect(text).toContain('tags: [ Tech, Programming ]');
    const feeds = (doc.toJS() as { feeds: Array<Record<string, unknown>> }).feeds;
    expect(feeds[0]).toEqual({ url: 'https://feeds.arstechnica.example/arstechnica/index', name: 'Ars (mine)', interval: '5m', tags: ['Tech', 'News'] });
    expect(feeds.find((f) => f.url === 'https://untitled.example/rss')).toEqual({ url: 'https://untitled.example/rss', tags: ['Tech', 'Programming'] });
  });

  it('changes nothing on a second import of the same file', () => {
    const doc = parseDocument(configText);
    importOpml(fixturePath('nested.opml'), doc);
    const once = doc.toString();
    expect(importOpml(fixturePath('nested.opml'), doc)).toMatchObject({ added: 0, tagged: 0, unchanged: 5 });
    expect(doc.toString()).toBe(once);
  });

  it('reports skipped outlines with file and line', () => {
    const summary = importOpml(fixturePath('malformed.opml'), parseDocument('feeds: []\n'));
    expect(summary.skipped).toEqual([
      `${fixturePath('malformed.opml')}:12: skipped outline "Script": xmlUrl "javascript:alert(1)" is not an http(s) URL`,
      `${fixturePath('malformed.opml')}:13: skipped outline "Include": OPML includes are not followed`,
    ]);
    expect(summary.message).toBe(`${fixturePath('malformed.opml')}: 6 added, 0 tagged, 0 already present, 2 skipped`);
  });

  it('round-trips: import then export then import keeps urls, names and tags', () => {
    for (const name of ['nested.opml', 'categories.opml', 'opml1-bloglines.opml', 'malformed.opml']) {
      const doc = parseDocument('feeds: []\n');
      importOpml(fixturePath(name), doc);
      const dir = temp();
      writeFileSync(join(dir, 'out.opml'), exportOpml(doc.toJS() as { feeds: [] }));
      const reimported = parseDocument('feeds: []\n');
      importOpml(join(dir, 'out.opml'), reimported);
      // Order may change (untagged feeds first, then one folder per first tag); entries may not.
      expect(byUrl(reimported.toJS()), name).toEqual(byUrl(doc.toJS()));
      expect(brief(parseOpml(readFileSync(join(dir, 'out.opml'), 'utf8')).feeds).map((f) => f.url).sort(), name).toEqual(
        fixture(name).feeds.map((f) => f.url).sort(),
      );
    }
  });

  it('says which file it could not read', () => {
    expect(() => importOpml('/nonexistent/subs.opml', parseDocument(''))).toThrow(/^feeds import: cannot read \/nonexistent\/subs\.opml/);
  });
});
