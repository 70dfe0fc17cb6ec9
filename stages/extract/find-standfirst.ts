import { boilerplateRules } from './boilerplate-rules.js';

const { classTokens } = boilerplateRules;

/** The article's standfirst (lead, teaser, excerpt), found before cleaning, put back after Readability. */
export interface Standfirst {
  text: string;
  /** After cleanDom: note which text blocks survived, as only those can stand between standfirst and body. */
  noteSurvivors(body: Element): void;
  /** Prepend the standfirst to `content` when Readability left it out and the body starts right after it. */
  restore(content: Element): boolean;
}

// Class/id words that name a standfirst: "article-lead", "entry-excerpt", "teaser-text", "chapo", "dek".
const LEAD_TOKENS = new Set([
  'lead', 'lede', 'intro', 'introduction', 'teaser', 'excerpt', 'abstract', 'standfirst', 'summary', 'chapo', 'chapeau',
  'dek', 'deck', 'subtitle', 'subheadline', 'subline', 'description', 'perex', 'strapline', 'sapo', 'entradilla', 'bajada',
]);
// The site's tagline or a notice across all pages ("site-description", "alert-summary") is no standfirst.
const SITE_TOKENS = new Set(['site', 'blog', 'alert', 'banner', 'notice', 'global', 'footer', 'promo', 'newsletter', 'product']);
// The blocks counted between the standfirst and the body.
const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, dd';
const ORDER = 'data-nl-order';
const MIN_CHARS = 40;
const MAX_CHARS = 1200;
// Blocks left after cleaning (a byline, a date) may sit between standfirst and body; paragraphs of something else may not.
const MAX_BLOCKS_BETWEEN = 3;

/**
 * Before cleaning: find the elements whose class names a standfirst and number the text blocks of `body`
 * in document order, so that after Readability the standfirst is restored only when it sits right above
 * the body Readability chose. Page headers (removed by cleanDom) often hold it; the lead is article text.
 */
export function findStandfirst(body: Element): Standfirst | null {
  const candidates = [...body.querySelectorAll('[class], [id]')].filter(isCandidate);
  if (candidates.length === 0) return null;
  for (const el of candidates) el.setAttribute('data-nl-lead', '');
  const orderOf = new Map<Element, number>();
  [...body.querySelectorAll(`${BLOCKS}, [data-nl-lead]`)].forEach((el, i) => {
    el.setAttribute(ORDER, String(i));
    orderOf.set(el, i);
  });
  const lastInside = (el: Element) => Math.max(orderOf.get(el) ?? -1, ...[...el.querySelectorAll(`[${ORDER}]`)].map((d) => orderOf.get(d) ?? -1));
  const leads = candidates.map((el) => ({ text: leadText(el), order: orderOf.get(el) ?? -1, end: lastInside(el) })).filter((l) => l.text.length >= MIN_CHARS);
  const headlines = [...body.querySelectorAll('h1')].map((h) => orderOf.get(h) ?? -1);
  if (leads.length === 0) return null;
  let survivors: number[] = [];
  return {
    text: leads[0]!.text,
    noteSurvivors(cleaned) {
      survivors = [...cleaned.querySelectorAll(`[${ORDER}]`)].map((el) => Number(el.getAttribute(ORDER)));
    },
    restore(content) {
      const start = Number(content.querySelector(`[${ORDER}]`)?.getAttribute(ORDER) ?? NaN);
      if (!Number.isFinite(start)) return false;
      const between = (order: number) => survivors.filter((o) => o > order && o < start).length;
      // The standfirst follows the headline (or holds it): what comes before the headline is the site's, not the story's.
      const headline = Math.max(-1, ...headlines.filter((h) => h < start));
      const lead = leads.filter((l) => l.order < start && l.end >= headline && between(l.order) <= MAX_BLOCKS_BETWEEN).at(-1);
      if (!lead || clean(content.textContent).includes(lead.text)) return false;
      const p = content.ownerDocument.createElement('p');
      p.textContent = lead.text;
      content.prepend(p);
      return true;
    },
  };
}

// A standfirst box may hold the headline too ("<header class=intro><h1>…</h1><p>…</p>"): the rest is the standfirst.
function leadText(el: Element): string {
  let text = clean(el.textContent);
  for (const h1 of el.querySelectorAll('h1')) text = text.replace(clean(h1.textContent), '');
  return clean(text);
}

function isCandidate(el: Element): boolean {
  if (!/^(?:p|div|h2|h3|h4|span|section|header)$/i.test(el.tagName)) return false;
  const tokens = classTokens(el);
  if (!tokens.some((t) => LEAD_TOKENS.has(t)) || tokens.some((t) => SITE_TOKENS.has(t))) return false;
  const text = clean(el.textContent);
  if (text.length < MIN_CHARS || text.length > MAX_CHARS || el.querySelectorAll('p').length > 3) return false;
  let linked = 0;
  for (const a of el.querySelectorAll('a')) linked += clean(a.textContent).length;
  // A teaser linking to another story is a headline list item, not this article's lead.
  return linked < text.length * 0.25 && !el.closest('nav, aside, footer, a, li');
}

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
