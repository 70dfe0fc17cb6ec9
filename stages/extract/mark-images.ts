import type { ArticleImage } from '../article.js';
import { boilerplateRules } from './boilerplate-rules.js';
import { elementsUnder, firstElementUnder, isTag } from './elements-under.js';
import { resolveUrl } from './resolve-url.js';
import { splitCaption } from './split-caption.js';

/** The attribute that ties an `<img>` in the DOM to its entry in the list markImages returns. */
export const IMAGE_MARK = 'data-nl-image';

const { classTokens } = boilerplateRules;
const CAPTION_TOKENS = new Set(['caption', 'figcaption', 'captions', 'legend', 'credit', 'credits', 'copyright', 'photographer', 'attribution']);
const CREDIT_TOKENS = new Set(['credit', 'credits', 'copyright', 'photographer', 'attribution', 'source', 'byline', 'author']);
// Lazy loaders keep the real address in data-*; src then holds a placeholder.
const SRC_ATTRS = ['data-src', 'data-lazy-src', 'data-original', 'data-url', 'data-hi-res-src', 'src'];
// What a caption never holds: `p, div, ul, ol, table`.
const BLOCKS: ReadonlySet<string> = new Set(['p', 'div', 'ul', 'ol', 'table']);
/** An `<img>` markImages gave an entry (and collectImages reads back). */
export const isMarkedImage = (el: Element) => isTag(el, 'img') && el.hasAttribute(IMAGE_MARK);
const hasClass = (el: Element) => el.hasAttribute('class');
const hasClassOrId = (el: Element) => el.hasAttribute('class') || el.hasAttribute('id');
// `[class], small, cite`.
const mayBeCredit = (el: Element) => el.hasAttribute('class') || isTag(el, 'small') || isTag(el, 'cite');

/**
 * Before Readability: give every `<img>` an entry (url, alt) and mark it with IMAGE_MARK; move each figure's
 * caption and credit (figcaption, caption/credit elements) into the entry and out of the DOM, so Readability
 * can neither glue them into the text nor drop the picture. A figure becomes its bare `<img>`.
 */
export function markImages(root: Element, pageUrl: string): ArticleImage[] {
  const entries: ArticleImage[] = [];
  // One walk for the three steps: they remove elements and put a figure's picture in its place, never add
  // one, so what is still in `root` at each step is the part of this list that `root.contains`, in order.
  const all = elementsUnder(root);
  for (const img of all) {
    if (!isTag(img, 'img')) continue;
    const url = imageUrl(img, pageUrl);
    if (!url || isPixel(img)) {
      img.remove();
      continue;
    }
    img.setAttribute(IMAGE_MARK, String(entries.length));
    entries.push({ url, caption: null, credit: null, alt: clean(img.getAttribute('alt')) });
  }
  for (const figure of all) {
    if (isTag(figure, 'figure') && root.contains(figure)) flattenFigure(figure, entries);
  }
  for (const el of all) {
    if (hasClassOrId(el) && root.contains(el) && isCaptionElement(el)) attachLooseCaption(el, root, entries);
  }
  return entries;
}

function flattenFigure(figure: Element, entries: ArticleImage[]): void {
  const img = firstElementUnder(figure, isMarkedImage);
  const entry = img ? entries[Number(img.getAttribute(IMAGE_MARK))] : undefined;
  if (img && entry) {
    const captionEl = firstElementUnder(figure, 'figcaption') ?? elementsUnder(figure, hasClass).find(isCaptionElement);
    fillCaption(entry, captionEl ?? null);
  }
  // A figure without a picture is a pull quote or an embed: its text repeats or leaves the article.
  if (img) figure.replaceWith(img);
  else figure.remove();
}

// A caption or credit element outside any figure ("wp-caption-text", "image-credit"): it belongs to the
// last picture before it, when that picture sits close by (same parent within three levels).
function attachLooseCaption(el: Element, root: Element, entries: ArticleImage[]): void {
  let scope: Element | null = el.parentElement;
  for (let level = 0; scope && level < 3 && scope !== root; level++, scope = scope.parentElement) {
    const before = elementsUnder(scope, isMarkedImage).filter((img) => precedes(img, el));
    const img = before[before.length - 1];
    const entry = img ? entries[Number(img.getAttribute(IMAGE_MARK))] : undefined;
    if (entry) {
      fillCaption(entry, el);
      return;
    }
  }
  if ((el.textContent ?? '').length < 300) el.remove();
}

function fillCaption(entry: ArticleImage, captionEl: Element | null): void {
  if (!captionEl) return;
  const creditEls = elementsUnder(captionEl, mayBeCredit).filter(
    (c) => ['small', 'cite'].includes(c.tagName.toLowerCase()) || classTokens(c).some((t) => CREDIT_TOKENS.has(t)),
  );
  const creditText = clean(creditEls.map((c) => c.textContent ?? '').join(' '));
  for (const c of creditEls) c.remove();
  const isCreditOnly = classTokens(captionEl).some((t) => CREDIT_TOKENS.has(t)) && !classTokens(captionEl).includes('caption');
  const split = splitCaption(captionEl.textContent ?? '');
  captionEl.remove();
  const credit = creditText ? (splitCaption(creditText).credit ?? creditText) : null;
  if (isCreditOnly) {
    entry.credit ??= credit ?? split.credit ?? split.caption;
    return;
  }
  entry.caption ??= split.caption;
  entry.credit ??= credit ?? split.credit;
}

function isCaptionElement(el: Element): boolean {
  if (el.tagName.toLowerCase() === 'figcaption') return true;
  // The name first: it rules out almost every element, and costs no walk of the subtree.
  if (!classTokens(el).some((t) => CAPTION_TOKENS.has(t))) return false;
  return !firstElementUnder(el, BLOCKS) && (el.textContent ?? '').length <= 600;
}

function imageUrl(img: Element, pageUrl: string): string | null {
  for (const attr of SRC_ATTRS) {
    const value = img.getAttribute(attr);
    if (value && !/^data:/i.test(value.trim())) return resolveUrl(value, pageUrl);
  }
  const srcset = img.getAttribute('srcset') ?? img.getAttribute('data-srcset');
  return srcset ? resolveUrl(srcset.trim().split(/\s+/)[0], pageUrl) : null;
}

// Tracking pixels and spacers: 1x1 images, never pictures of the story.
function isPixel(img: Element): boolean {
  const small = (attr: string) => /^\s*[0-2](?:px)?\s*$/.test(img.getAttribute(attr) ?? '');
  return small('width') || small('height');
}

function precedes(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & 4) /* DOCUMENT_POSITION_FOLLOWING */ !== 0;
}

function clean(value: string | null | undefined): string | null {
  const out = value?.replace(/\s+/g, ' ').trim();
  return out ? out : null;
}
