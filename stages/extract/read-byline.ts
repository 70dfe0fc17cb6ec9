import { elementsUnder, isTag } from './elements-under.js';
import type { Microdata } from './index-microdata.js';
import { splitAuthors } from './split-authors.js';

/** Authors found in the page body, and which markup named them (for provenance). */
export interface Byline {
  names: string[];
  source: 'itemprop:author' | 'rel=author' | 'byline';
}

// Bylines are short: a longer element is an author bio or the article itself.
const MAX_BYLINE_CHARS = 200;
// Class names that mark a byline. Matched in code over one [class] query: jsdom runs case-insensitive
// selectors ([class*="byline" i]) many times slower (59 ms a page on the corpus, against 10).
const BYLINE_CLASS = /byline|author-?name|^(?:article-|post-|entry-)?authors?$/i;
// Where a "By …" line can sit, in the order to look: the article first, else the whole body.
const BY_LINE = /^(?:(?:[Ww]ritten|[Ww]ords|[Ss]tory|[Tt]ext|[Rr]eporting|[Cc]ompiled)\s+)?(?:[Bb]y|BY)\s*:?\s+(.+)$/u;
// "By Monday, officials had…" is a sentence, not a byline: every word of a byline's names is capitalised
// (or a particle such as "van" or "de"), and what follows a bar ("| Reuters", "| Updated 10:42") is ignored.
const NAME_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|van|von|der|den|de|del|della|da|di|du|le|la|bin|al|ibn|y|e)$/u;
const SEPARATOR = /\s*(?:,|;|&|\band\b|\s\/\s)\s*/;
const BY_LINE_TAGS: ReadonlySet<string> = new Set(['p', 'span', 'div', 'address', 'li', 'strong', 'em', 'b', 'small', 'header']);
const isLinkWithRel = (el: Element) => isTag(el, 'a') && el.hasAttribute('rel');
const hasClassOrIsAddress = (el: Element) => el.hasAttribute('class') || isTag(el, 'address');
// Enough to reach the byline under any header; past this a page is not worth scanning for one.
const MAX_BY_LINE_CANDIDATES = 1_500;

/** Author names from the body: microdata (itemprop=author), `rel=author` links, byline elements, then a "By A, B and C" line. `elements`: all of the document's, in order. */
export function readByline(document: Document, microdata: Microdata, elements: readonly Element[] = elementsUnder(document)): Byline | null {
  const readers: [Byline['source'], () => string[]][] = [
    ['itemprop:author', () => fromMicrodata(microdata)],
    ['rel=author', () => textsOf(elements.filter(isLinkWithRel).filter((a) => hasToken(a.getAttribute('rel'), 'author')))],
    ['byline', () => textsOf(elements.filter(hasClassOrIsAddress).filter(isBylineElement))],
    ['byline', () => byLineText(document, elements)],
  ];
  for (const [source, read] of readers) {
    const names = dedupe(read().flatMap(splitAuthors));
    if (names.length > 0) return { names, source };
  }
  return null;
}

// <div itemprop="author" itemscope itemtype="…/Person"><span itemprop="name">…</span></div>, or the element's own text.
function fromMicrodata(microdata: Microdata): string[] {
  const texts: string[] = [];
  const names = microdata.get('name') ?? [];
  for (const el of (microdata.get('author') ?? []).slice(0, 6)) {
    const named = names.find((n) => el.contains(n));
    texts.push(...textsOf(named ? [named] : [el]));
  }
  return texts;
}

function isBylineElement(el: Element): boolean {
  return el.tagName.toLowerCase() === 'address' || (el.getAttribute('class') ?? '').split(/\s+/).some((c) => BYLINE_CLASS.test(c));
}

function hasToken(value: string | null, token: string): boolean {
  return (value ?? '').toLowerCase().split(/\s+/).includes(token);
}

function textsOf(elements: Iterable<Element>): string[] {
  const texts: string[] = [];
  for (const el of [...elements].slice(0, 6)) {
    const text = (el.getAttribute('content') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text && text.length < MAX_BYLINE_CHARS) texts.push(text);
  }
  return texts;
}

// "By Jane Doe, John Roe and Ann Poe" as a line of its own near the top of the story.
function byLineText(document: Document, elements: readonly Element[]): string[] {
  const root = elements.find((el) => isTag(el, 'article')) ?? document.body;
  if (!root) return [];
  const candidates = elementsUnder(root, BY_LINE_TAGS).slice(0, MAX_BY_LINE_CANDIDATES);
  for (const el of candidates) {
    // Checked before reading the element's whole text, which costs as much as its subtree: a container of
    // many elements is not a line, and a line that does not start with "By" is not a byline.
    if (el.childElementCount > 6 || !/^\s*(?:by|written|words|story|text|reporting|compiled)\b/i.test(leadingText(el))) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text.length < MAX_BYLINE_CHARS && isByLine(text)) return [text];
  }
  return [];
}

// The first non-blank text at the start of an element, following first children a few levels down.
function leadingText(el: Element): string {
  let node: Node | null = el.firstChild;
  for (let steps = 0; node && steps < 12; steps++) {
    if (node.nodeType === 3) {
      if ((node.nodeValue ?? '').trim()) return node.nodeValue ?? '';
      node = node.nextSibling;
    } else if (node.nodeType === 1) {
      node = node.firstChild ?? node.nextSibling;
    } else {
      node = node.nextSibling;
    }
  }
  return '';
}

function isByLine(text: string): boolean {
  const names = BY_LINE.exec(text)?.[1]?.split(/\s*[|•·]\s*/)[0];
  if (!names) return false;
  return names.split(SEPARATOR).every((part) => {
    const words = part.split(' ').filter(Boolean);
    return words.length >= 1 && words.length <= 5 && words.every((w) => NAME_WORD.test(w));
  });
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}
