import { JSDOM } from 'jsdom';
import { parseHTML } from 'linkedom';

/**
 * The two DOMs extraction runs on, each parsing an HTML fragment inside `<wrapper id="root">` of a
 * whole page: for tests that compare a tree walk with the DOM's own answer on both.
 */
export function bothDoms(wrapper: string): Record<'linkedom' | 'jsdom', (html: string) => Document> {
  const page = (html: string) => `<!doctype html><html><body><${wrapper} id="root">${html}</${wrapper}></body></html>`;
  return {
    linkedom: (html) => parseHTML(page(html)).document as unknown as Document,
    jsdom: (html) => new JSDOM(page(html)).window.document,
  };
}
