import { describe, expect, it } from 'vitest';
import { parseLooseXml } from '../../../stages/feeds/parse-loose-xml.js';
import { isElement, xmlElement as x, type XmlElement } from '../../../stages/feeds/xml-element.js';

const root = (text: string, base: string | null = null): XmlElement => parseLooseXml(text, base).children.find(isElement)!;

describe('parseLooseXml', () => {
  it('decodes XML, numeric and HTML named references and keeps a bare & or unknown name as text', () => {
    expect(x.text(root('<t>a &amp; b &eacute;&#233;&#xE9; AT&T &bogus;</t>'))).toBe('a & b ééé AT&T &bogus;');
  });

  it('keeps CDATA verbatim and drops comments and control characters', () => {
    expect(x.text(root('<t><![CDATA[<b>&amp;</b>]]><!-- <x> -->\u0001ok</t>'))).toBe('<b>&amp;</b>ok');
  });

  it('closes elements left open at the end and marks them incomplete', () => {
    const rss = root('<rss><item><title>cut');
    const item = x.containers(rss, 'item', [''])[0]!;
    expect(item.complete).toBe(false);
    expect(x.child(item, 'title', [''])).toBeUndefined();
  });

  it('ignores a stray end tag and lets an end tag close the unclosed elements inside it', () => {
    const rss = root('<rss></bogus><d><p>one<br></d><e>two</e></rss>');
    expect(rss.children.filter(isElement).map((c) => c.local)).toEqual(['d', 'e']);
  });

  it('closes an unclosed item when the next one starts', () => {
    const ch = root('<channel><item><link>a</link><item><link>b</link></channel>');
    expect(x.children(ch, 'item', ['']).map((i) => x.text(x.child(i, 'link', [''])))).toEqual(['a', 'b']);
  });

  it('resolves namespaces by URI, and undeclared well-known prefixes by their usual meaning', () => {
    const feed = root('<f xmlns:a="http://www.w3.org/2005/Atom" xmlns="http://purl.org/rss/1.0/"><a:link/><dc:creator/><item/></f>');
    expect(feed.children.filter(isElement).map((c) => `${c.ns}:${c.local}`)).toEqual(['atom:link', 'dc:creator', 'rss:item']);
  });

  it('skips a DOCTYPE with an internal subset unread, in time linear in its size', () => {
    const started = Date.now();
    const doc = root(`<!DOCTYPE x [${'<!ENTITY a "]>">'.repeat(20_000)}]><rss>&a;</rss>`);
    expect(Date.now() - started).toBeLessThan(500);
    expect(x.text(doc)).toBe('&a;');
  });

  it('resolves xml:base chains against the document URL', () => {
    const feed = root('<feed xml:base="/a/"><entry xml:base="b/"><link xml:base="c/"/></entry></feed>', 'https://x.example/feed');
    const link = x.child(x.child(feed, 'entry', [''])!, 'link', [''])!;
    expect(link.base).toBe('https://x.example/a/b/c/');
  });
});
