import { describe, expect, it } from 'vitest';
import { closestElement, elementsUnder, firstElementUnder } from '../../../stages/extract/elements-under.js';
import { bothDoms } from '../../helpers/both-doms.js';
import { random } from '../../helpers/random.js';

const TAGS = ['div', 'p', 'span', 'B', 'Strong', 'h2', 'section', 'script', 'style', 'template', 'table', 'tr', 'td', 'ul', 'li', 'a', 'noscript', 'iframe', 'button'];

function fragment(next: () => number, depth: number): string {
  let out = '';
  const parts = 1 + Math.floor(next() * 4);
  for (let i = 0; i < parts; i++) {
    const r = next();
    if (r < 0.3 || depth >= 6) out += 'text ';
    else if (r < 0.35) out += '<!-- c -->';
    else if (r < 0.4) out += '<br><img src="x.jpg">';
    else {
      const tag = TAGS[Math.floor(next() * TAGS.length)]!;
      out += `<${tag}>${tag === 'script' || tag === 'style' ? 'x < y' : fragment(next, depth + 1)}</${tag}>`;
    }
  }
  return out;
}

const doms = bothDoms('main');

describe('elementsUnder', () => {
  for (const [dom, parse] of Object.entries(doms)) {
    const trees = dom === 'jsdom' ? 60 : 300;
    it(`lists what querySelectorAll lists for '*' and for tag lists, in order, on ${trees} random trees (${dom})`, () => {
      const next = random(dom.length + 1);
      let found = 0;
      for (let n = 0; n < trees; n++) {
        const document = parse(fragment(next, 0));
        for (const root of [document.getElementById('root')!, ...document.querySelectorAll('#root div, #root td')]) {
          expect(elementsUnder(root), `${dom} #${n} *: ${root.outerHTML}`).toEqual([...root.querySelectorAll('*')]);
          for (const list of [['b', 'strong', 'p'], ['script', 'style', 'template', 'noscript', 'iframe', 'button'], ['h2', 'div', 'span']]) {
            const want = [...root.querySelectorAll(list.join(','))];
            found += want.length;
            expect(elementsUnder(root, new Set(list)), `${dom} #${n} ${list.join(',')}: ${root.outerHTML}`).toEqual(want);
          }
          // A single tag name as the match, as most callers pass it: the same as a set of one.
          for (const tag of ['p', 'a', 'span']) {
            expect(elementsUnder(root, tag), `${dom} #${n} ${tag}: ${root.outerHTML}`).toEqual([...root.querySelectorAll(tag)]);
            expect(firstElementUnder(root, tag), `${dom} #${n} first ${tag}: ${root.outerHTML}`).toBe(root.querySelector(tag));
          }
        }
      }
      expect(found).toBeGreaterThan(200);
    });
  }
});

// Attributes the extraction stages test for, with values that do and do not match their selectors.
const ATTRIBUTES = ['class="x"', 'class=""', 'id="y"', 'role="main"', 'role="Main"', 'itemprop="name articleBody"', 'itemprop="ARTICLEBODY"', 'itemprop="articleBodyX"', 'data-nl-image="0"', 'href="#"', 'rel="author"', 'type="application/LD+JSON"', 'type="text/x"', 'datetime="2024"'];
const ATTRIBUTE_TAGS = ['div', 'P', 'span', 'a', 'img', 'main', 'article', 'time', 'script', 'template', 'section', 'h1', 'li'];

function attributed(next: () => number, depth: number): string {
  let out = '';
  const parts = 1 + Math.floor(next() * 4);
  for (let i = 0; i < parts; i++) {
    if (next() < 0.25 || depth >= 6) {
      out += 'text ';
      continue;
    }
    const tag = ATTRIBUTE_TAGS[Math.floor(next() * ATTRIBUTE_TAGS.length)]!;
    const attrs = ATTRIBUTES.filter(() => next() < 0.15).join(' ');
    out += tag === 'img' ? `<img ${attrs}>` : `<${tag} ${attrs}>${tag === 'script' ? '{}' : attributed(next, depth + 1)}</${tag}>`;
  }
  return out;
}

// jsdom's nwsapi answers `main, [role="main"], [itemprop~="articleBody" i]` out of document order, and lets the
// list's `i` flag reach `[role="main"]` (role="Main" matches): on jsdom each part is asked alone.
function documentOrder(elements: Iterable<Element>): Element[] {
  return [...new Set(elements)].sort((a, b) => (a.compareDocumentPosition(b) & 4 /* DOCUMENT_POSITION_FOLLOWING */ ? -1 : 1));
}

// Each selector the stages replaced, with the test that replaces it.
const SELECTORS: [string, (el: Element) => boolean][] = [
  ['[class], [id]', (el) => el.hasAttribute('class') || el.hasAttribute('id')],
  ['main, [role="main"], [itemprop~="articleBody" i]', (el) => el.localName.toLowerCase() === 'main' || el.getAttribute('role') === 'main' || /(?:^|\s)articleBody(?:$|\s)/i.test(el.getAttribute('itemprop') ?? '')],
  ['img[data-nl-image]', (el) => el.localName.toLowerCase() === 'img' && el.hasAttribute('data-nl-image')],
  ['script[type*="ld+json" i]', (el) => el.localName.toLowerCase() === 'script' && /ld\+json/i.test(el.getAttribute('type') ?? '')],
  ['a[rel]', (el) => el.localName.toLowerCase() === 'a' && el.hasAttribute('rel')],
  ['time[datetime]', (el) => el.localName.toLowerCase() === 'time' && el.hasAttribute('datetime')],
];

describe('elementsUnder, firstElementUnder and closestElement with a test', () => {
  for (const [dom, parse] of Object.entries(doms)) {
    const trees = dom === 'jsdom' ? 40 : 200;
    const query = (root: ParentNode, selector: string) =>
      dom === 'jsdom' ? documentOrder(selector.split(', ').flatMap((part) => [...root.querySelectorAll(part)])) : [...root.querySelectorAll(selector)];
    const closest = (el: Element, selector: string) => {
      for (let at: Element | null = el; at; at = at.parentElement) if (selector.split(', ').some((part) => at.matches(part))) return at;
      return null;
    };
    it(`give what querySelectorAll, querySelector and closest give for the selectors they replace, on ${trees} random trees (${dom})`, () => {
      const next = random(dom.length + 7);
      let found = 0;
      for (let n = 0; n < trees; n++) {
        const document = parse(attributed(next, 0));
        const root = document.getElementById('root')!;
        for (const [selector, test] of SELECTORS) {
          const want = query(root, selector);
          found += want.length;
          expect(elementsUnder(root, test), `${dom} #${n} ${selector}: ${root.outerHTML}`).toEqual(want);
          expect(elementsUnder(document, test), `${dom} #${n} document ${selector}`).toEqual(query(document, selector));
          expect(firstElementUnder(root, test), `${dom} #${n} first ${selector}`).toBe(want[0] ?? null);
          for (const el of root.querySelectorAll('span, li, img')) {
            expect(closestElement(el, test), `${dom} #${n} closest ${selector}`).toBe(dom === 'jsdom' ? closest(el, selector) : el.closest(selector));
          }
        }
      }
      expect(found).toBeGreaterThan(300);
    });
  }
});
