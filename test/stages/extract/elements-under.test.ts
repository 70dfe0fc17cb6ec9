import { describe, expect, it } from 'vitest';
import { elementsUnder } from '../../../stages/extract/elements-under.js';
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
        }
      }
      expect(found).toBeGreaterThan(200);
    });
  }
});
