import { describe, expect, it } from 'vitest';
import { textUpTo } from '../../../stages/extract/text-up-to.js';
import { bothDoms } from '../../helpers/both-doms.js';
import { random } from '../../helpers/random.js';

const WORDS = ['Read', 'more:', 'Related', 'stories', 'the', 'minister', 'said', '«ça»', 'Advertisement', 'x'];
const SPACES = [' ', '  ', '\n', '\n\n   \t', '&nbsp;', '\u2003', ''];
const TAGS = ['div', 'p', 'span', 'a', 'strong', 'li', 'h2', 'section', 'em', 'script', 'template'];

function fragment(next: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  let out = '';
  const parts = 1 + Math.floor(next() * 4);
  for (let i = 0; i < parts; i++) {
    const r = next();
    if (r < 0.45) out += Array.from({ length: Math.floor(next() * 6) }, () => pick(WORDS) + pick(SPACES)).join('');
    else if (r < 0.55) out += `<!-- ${pick(WORDS)} -->`;
    else if (r < 0.6) out += '<br><img src="a.jpg" alt="picture">';
    else if (depth < 5) {
      const tag = pick(TAGS);
      out += `<${tag} class="c">${fragment(next, depth + 1)}</${tag}>`;
    }
  }
  return out;
}

const reference = (el: Element, measure: 'raw' | 'collapsed') => {
  const text = el.textContent ?? '';
  return measure === 'raw' ? text.length : text.replace(/\s+/g, ' ').trim().length;
};

const doms = bothDoms('div');

describe('textUpTo', () => {
  for (const [dom, parse] of Object.entries(doms)) {
    const trees = dom === 'jsdom' ? 60 : 300;
    it(`gives textContent, or undefined only past the limit, on ${trees} random trees (${dom})`, () => {
      const next = random(dom.length);
      let cut = 0;
      let whole = 0;
      for (let n = 0; n < trees; n++) {
        const document = parse(fragment(next, 0));
        for (const el of [document.getElementById('root')!, ...document.querySelectorAll('#root *')]) {
          for (const max of [0, 3, 20, 40, 60, 250]) {
            for (const measure of ['raw', 'collapsed'] as const) {
              const got = textUpTo(el, max, measure);
              if (got === undefined) {
                cut++;
                expect(reference(el, measure), `${dom} #${n} ${measure} ${max}: ${el.outerHTML}`).toBeGreaterThan(max);
              } else {
                whole++;
                expect(got, `${dom} #${n} ${measure} ${max}: ${el.outerHTML}`).toBe(el.textContent);
              }
            }
          }
        }
      }
      // Both outcomes were exercised.
      expect(cut).toBeGreaterThan(100);
      expect(whole).toBeGreaterThan(100);
    });
  }

  it('stops at the limit counting characters other than whitespace when collapsed', () => {
    const document = doms.linkedom('<p>   a   </p><p>\n\n\n\n\n\n\n\n b</p>');
    const root = document.getElementById('root')!;
    expect(textUpTo(root, 3)).toBe(root.textContent);
    expect(textUpTo(root, 3, 'raw')).toBeUndefined();
    expect(textUpTo(doms.linkedom('<p>abcd</p>').getElementById('root')!, 3)).toBeUndefined();
  });
});
