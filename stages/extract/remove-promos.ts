import { elementsUnder, firstElementUnder, isTag } from './elements-under.js';

// Sentences that sell the site, not tell the story: app and newsletter pitches, subscription walls,
// "follow us", calls for letters and donations. Each names an action on the site or its channels, so
// it does not fit a news sentence that merely mentions an app or a subscription. Sources: jusText's
// stop-phrases and Trafilatura's boilerplate patterns, in the languages of our feeds.
const PROMO = new RegExp(
  [
    String.raw`\b(?:download|get|install)\s+(?:the|our)\s+[\p{L}\p{N} .&-]{0,40}\bapps?\b`,
    String.raw`\bstraight to your (?:phone|inbox)\b`,
    String.raw`^(?:subscribe|abonnieren sie|jetzt abonnieren|suscríbete|abonnez-vous|abbonati)\b`,
    String.raw`\bsubscribe (?:now|today) (?:to|for)\b`,
    String.raw`\bsign up (?:for|to) (?:our|the)\b`,
    String.raw`\b(?:to (?:view|read|continue reading) the (?:full|rest of the) (?:story|article)|for the full story)\b`,
    String.raw`\b(?:pour lire la suite|weiterlesen mit|lesen sie weiter mit|para seguir leyendo)\b`,
    String.raw`\bfollow us on\b|\b(?:folgen sie|folge) uns\b|\bsíguenos en\b|\bsuivez-nous\b|\bseguici su\b`,
    String.raw`\bletters? to the editor\b|\bwe want to hear what you think\b`,
    String.raw`\b(?:consider supporting|support (?:our|independent|quality) (?:work|journalism))\b`,
    String.raw`\bnewsletter\b.{0,80}\b(?:abonnieren|subscribe|sign up|anmelden|suscr[ií]b|inscri|zapisz)|\b(?:abonnieren|subscribe|sign up|anmelden|suscr[ií]b|inscri|zapisz)\w*\b.{0,80}\bnewsletter`,
    String.raw`\bzapraszamy\b.{0,80}\bsubskrypcj`,
  ].join('|'),
  'iu',
);
const BLOCKS: ReadonlySet<string> = new Set(['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'blockquote']);
// A paragraph or heading that is nothing but one link to another page is a headline of another story.
const HEADLINE_BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'div']);
const MIN_HEADLINE_CHARS = 15;
const MAX_HEADLINE_CHARS = 150;
const MAX_PROMO_CHARS = 300;

/** Remove whole short blocks of `content` that are promotion for the site; returns how many went. */
export function removePromos(content: Element): number {
  let removed = 0;
  for (const el of elementsUnder(content, BLOCKS)) {
    if (!content.contains(el) || firstElementUnder(el, BLOCKS)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text.length === 0 || text.length > MAX_PROMO_CHARS || !(PROMO.test(text) || isHeadlineLink(el, text))) continue;
    el.remove();
    removed++;
  }
  return removed;
}

function isHeadlineLink(el: Element, text: string): boolean {
  if (!HEADLINE_BLOCKS.has(el.tagName.toLowerCase()) || text.length < MIN_HEADLINE_CHARS || text.length > MAX_HEADLINE_CHARS) return false;
  const links = elementsUnder(el, (a) => isTag(a, 'a') && a.hasAttribute('href'));
  if (links.length !== 1 || (links[0]!.getAttribute('href') ?? '').startsWith('#')) return false;
  return (links[0]!.textContent ?? '').replace(/\s+/g, ' ').trim().length >= text.length * 0.95;
}
