import { boilerplateRules } from './boilerplate-rules.js';
import { closestElement, elementsUnder, firstElementUnder, isTag } from './elements-under.js';

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
const BLOCKS: ReadonlySet<string> = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'dd']);
const ORDER = 'data-nl-order';
const LEAD = 'data-nl-lead';
// Where a teaser of another story sits: `nav, aside, footer, a, li`.
const LIST_OR_LINK: ReadonlySet<string> = new Set(['nav', 'aside', 'footer', 'a', 'li']);
const hasClassOrId = (el: Element) => el.hasAttribute('class') || el.hasAttribute('id');
const hasOrder = (el: Element) => el.hasAttribute(ORDER);
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
  // Nothing here adds or removes an element: one walk serves every list below.
  const all = elementsUnder(body);
  const candidates = all.filter((el) => hasClassOrId(el) && isCandidate(el));
  if (candidates.length === 0) return null;
  for (const el of candidates) el.setAttribute(LEAD, '');
  const orderOf = new Map<Element, number>();
  all.filter((el) => BLOCKS.has(el.localName.toLowerCase()) || el.hasAttribute(LEAD)).forEach((el, i) => {
    el.setAttribute(ORDER, String(i));
    orderOf.set(el, i);
  });
  const lastInside = (el: Element) => Math.max(orderOf.get(el) ?? -1, ...elementsUnder(el, hasOrder).map((d) => orderOf.get(d) ?? -1));
  const leads = candidates.map((el) => ({ text: leadText(el), order: orderOf.get(el) ?? -1, end: lastInside(el) })).filter((l) => l.text.length >= MIN_CHARS);
  const headlines = all.filter((el) => isTag(el, 'h1')).map((h) => orderOf.get(h) ?? -1);
  if (leads.length === 0) return null;
  let survivors: number[] = [];
  return {
    text: leads[0]!.text,
    noteSurvivors(cleaned) {
      survivors = elementsUnder(cleaned, hasOrder).map((el) => Number(el.getAttribute(ORDER)));
    },
    restore(content) {
      const start = Number(firstElementUnder(content, hasOrder)?.getAttribute(ORDER) ?? NaN);
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
  for (const h1 of elementsUnder(el, 'h1')) text = text.replace(clean(h1.textContent), '');
  return clean(text);
}

function isCandidate(el: Element): boolean {
  if (!/^(?:p|div|h2|h3|h4|span|section|header)$/i.test(el.tagName)) return false;
  const tokens = classTokens(el);
  if (!tokens.some((t) => LEAD_TOKENS.has(t)) || tokens.some((t) => SITE_TOKENS.has(t))) return false;
  const text = clean(el.textContent);
  if (text.length < MIN_CHARS || text.length > MAX_CHARS || elementsUnder(el, 'p').length > 3) return false;
  let linked = 0;
  for (const a of elementsUnder(el, 'a')) linked += clean(a.textContent).length;
  // A teaser linking to another story is a headline list item, not this article's lead.
  return linked < text.length * 0.25 && !closestElement(el, LIST_OR_LINK);
}

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
