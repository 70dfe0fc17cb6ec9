import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discoverFeeds } from '../../../stages/feeds/discover-feeds.js';

const page = (head: string, body = '') => `<!DOCTYPE html><html><head><title>Site</title>${head}</head><body>${body}</body></html>`;
const urls = (html: string, at = 'https://site.example/') => discoverFeeds(html, at).map((c) => c.url);

describe('discoverFeeds', () => {
  it('reads <link rel=alternate> for RSS, Atom, RDF and JSON Feed with titles and claimed formats', () => {
    const html = page(`
      <link rel="alternate" type="application/rss+xml" title="Site RSS" href="/feed.rss">
      <link rel="alternate" type="application/atom+xml" title="Site Atom" href="https://site.example/atom">
      <link rel="alternate" type="application/rdf+xml" href="/index.rdf">
      <link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">`);
    expect(discoverFeeds(html, 'https://site.example/blog/')).toEqual([
      { url: 'https://site.example/feed.rss', title: 'Site RSS', format: 'rss', source: 'link' },
      { url: 'https://site.example/atom', title: 'Site Atom', format: 'atom', source: 'link' },
      { url: 'https://site.example/index.rdf', title: null, format: 'rdf', source: 'link' },
      { url: 'https://site.example/blog/feed.json', title: 'JSON', format: 'json', source: 'link' },
    ]);
  });

  it('resolves against <base href>, decodes entities in href and drops the fragment', () => {
    const html = page('<base href="https://cdn.example/news/"><link rel="alternate" type="application/rss+xml" href="rss?a=1&amp;b=2#top">');
    expect(urls(html)).toEqual(['https://cdn.example/news/rss?a=1&b=2']);
  });

  it('puts comment feeds after the site feed, whatever their order on the page', () => {
    const html = page(`
      <link rel="alternate" type="application/rss+xml" title="Site » Comments Feed" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site » Post » Comments Feed" href="/2024/post/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site » Feed" href="/feed/">`);
    expect(urls(html)).toEqual(['https://site.example/feed/', 'https://site.example/comments/feed/', 'https://site.example/2024/post/feed/']);
  });

  it('accepts rel tokens in any case and order, rel="feed", and a type with parameters', () => {
    const html = page(`
      <link rel="Alternate Home" type="Application/RSS+XML; charset=utf-8" href="/a.xml">
      <link rel="feed" type="application/atom+xml" href="/b.xml">`);
    expect(urls(html)).toEqual(['https://site.example/a.xml', 'https://site.example/b.xml']);
  });

  it('ignores alternates that are not feeds: translations, the WordPress REST API, oEmbed, stylesheets', () => {
    const html = page(`
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
      <link rel="alternate" type="application/json+oembed" href="/wp-json/oembed/1.0/embed?url=x">
      <link rel="stylesheet" type="application/rss+xml" href="/odd.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="">`);
    expect(urls(html)).toEqual([]);
  });

  it('lists each feed once', () => {
    const html = page(`
      <link rel="alternate" type="application/rss+xml" href="/feed">
      <link rel="alternate" type="application/rss+xml" href="https://site.example/feed#x">`, '<a href="/feed">RSS</a>');
    expect(urls(html)).toEqual(['https://site.example/feed']);
  });

  it('falls back to same-site <a> links that look like feeds, after the <link>s, but not a blogroll of other sites', () => {
    const html = page(
      '<link rel="alternate" type="application/atom+xml" href="/atom.xml">',
      `<a href="/about">About</a><a href="/rss.xml">Subscribe via RSS</a><a href="https://www.site.example/?feed=rss2">WP</a>
       <a href="https://friend.example/feed/">A friend</a><a href="https://feeds.feedburner.com/site">FeedBurner</a>`,
    );
    expect(discoverFeeds(html, 'https://site.example/')).toEqual([
      { url: 'https://site.example/atom.xml', title: null, format: 'atom', source: 'link' },
      { url: 'https://site.example/rss.xml', title: 'Subscribe via RSS', format: null, source: 'anchor' },
      { url: 'https://www.site.example/?feed=rss2', title: 'WP', format: null, source: 'anchor' },
      { url: 'https://feeds.feedburner.com/site', title: 'FeedBurner', format: null, source: 'anchor' },
    ]);
  });

  it('does not see links inside scripts, styles or comments', () => {
    const html = page(`
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/script.xml">')</script>
      <style>@media {{{ broken</style>
      <!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
      <link rel="alternate" type="application/rss+xml" href="/real.xml">`);
    expect(urls(html)).toEqual(['https://site.example/real.xml']);
  });

  it('finds links in tag soup: unquoted attributes, no <head>, unclosed tags', () => {
    const html = '<title>soup</title><link rel=alternate type=application/rss+xml href=/soup.xml><p><div>';
    expect(urls(html)).toEqual(['https://site.example/soup.xml']);
  });

  it('finds the feed link of the feed fixtures\' HTML page', () => {
    const html = readFileSync(new URL('../../fixtures/feeds/html-page.html', import.meta.url), 'utf8');
    expect(urls(html, 'https://example.news/section/')).toEqual(['https://example.news/rss']);
  });

  it('returns nothing for a page without feeds', () => {
    expect(urls(page('<link rel="icon" href="/favicon.ico">', '<a href="/contact">Contact</a>'))).toEqual([]);
  });
});
