import type { ArticleImage } from '../article.js';
import { closestElement, elementsUnder, firstElementUnder } from './elements-under.js';
import { IMAGE_MARK } from './mark-images.js';
import { resolveUrl } from './resolve-url.js';
import { splitCaption } from './split-caption.js';
import { stripGluedCaption } from './strip-glued-caption.js';

const LEAF_BLOCKS: ReadonlySet<string> = new Set(['p', 'li', 'blockquote', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'td']);
const BLOCK_CHILD: ReadonlySet<string> = new Set(['p', 'div', 'li', 'ul', 'ol', 'blockquote', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article']);
const PICTURE_OR_FIGURE: ReadonlySet<string> = new Set(['picture', 'figure']);
const P_OR_DIV: ReadonlySet<string> = new Set(['p', 'div']);
// A paragraph right after a picture is its caption when it is this short and names a credit.
const MAX_CAPTION_WORDS = 45;

interface Placed {
  el: Element;
  entry: ArticleImage;
}

/**
 * After Readability: the images left in the article body, lead image (og:image) first, deduped by URL,
 * with every picture, caption and credit taken out of `content`. A caption glued onto the end of a
 * paragraph ("… West Bank. Terrorists parade in Gaza. (credit: X/REUTERS)") is cut off and given to the
 * nearest uncaptioned picture before it, else after it, else the lead image; when all of those already
 * have captions it gets an entry of its own with the lead image's URL ("" when the page has no image).
 */
export function collectImages(content: Element, marked: ArticleImage[], lead: ArticleImage | null, pageUrl: string): ArticleImage[] {
  const placed = placeImages(content, marked, pageUrl);
  // The lead picture's caption counts wherever it sat, even in a page header Readability left out.
  const leadTwin = lead ? marked.find((m) => m.url === lead.url && !isFree(m)) : undefined;
  if (lead && leadTwin && isFree(lead)) Object.assign(lead, { caption: leadTwin.caption, credit: leadTwin.credit, alt: lead.alt ?? leadTwin.alt });
  const extra: ArticleImage[] = [];
  const give = (el: Element, caption: string | null, credit: string | null) => {
    const target = nearestFree(placed, el) ?? (lead && isFree(lead) ? lead : null);
    if (target) Object.assign(target, { caption, credit });
    else extra.push({ url: lead?.url ?? '', caption, credit, alt: null });
  };
  takeCaptionParagraphs(placed);
  for (const block of elementsUnder(content, LEAF_BLOCKS)) {
    // Readability's content is detached from the document: `contains`, not `isConnected`, says it is still there.
    if (!content.contains(block) || firstElementUnder(block, BLOCK_CHILD)) continue;
    const caption = creditedCaption(block);
    if (caption) {
      give(block, caption.caption, caption.credit);
      block.remove();
      continue;
    }
    const glued = stripGluedCaption(block.textContent ?? '');
    if (!glued) continue;
    give(block, glued.caption, glued.credit);
    // The paragraph keeps its words but loses inline markup: rare enough not to rebuild it node by node.
    if (glued.text) block.textContent = glued.text;
    else block.remove();
  }
  for (const { el } of placed) removeWithEmptyParents(el, content);
  for (const el of elementsUnder(content, PICTURE_OR_FIGURE)) el.remove();
  return dedupe([...(lead ? [lead] : []), ...placed.map((p) => p.entry), ...extra]);
}

function placeImages(content: Element, marked: ArticleImage[], pageUrl: string): Placed[] {
  const placed: Placed[] = [];
  for (const img of elementsUnder(content, 'img')) {
    const known = marked[Number(img.getAttribute(IMAGE_MARK) ?? -1)];
    const url = known?.url ?? resolveUrl(img.getAttribute('src'), pageUrl);
    if (!url) {
      img.remove();
      continue;
    }
    placed.push({ el: img, entry: known ?? { url, caption: null, credit: null, alt: img.getAttribute('alt')?.trim() || null } });
  }
  return placed;
}

// "<img><p>Caption. Photo: Jane Doe/Reuters</p>": a short credited paragraph right after a picture.
function takeCaptionParagraphs(placed: Placed[]): void {
  for (const { el, entry } of placed) {
    if (!isFree(entry)) continue;
    const holder = closestElement(el, P_OR_DIV) ?? el;
    const next = holder.nextElementSibling;
    const text = next?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    if (!next || next.tagName.toLowerCase() !== 'p' || !text || text.split(' ').length > MAX_CAPTION_WORDS) continue;
    // A sentence of body text with a caption glued on is cut apart below, not taken whole.
    if (stripGluedCaption(text)?.text) continue;
    const split = splitCaption(text);
    if (!split.credit) continue;
    Object.assign(entry, split);
    next.remove();
  }
}

// "Crowds in Lima. Foto: Andina", "The winner. | © Jane Doe/Getty Images": a short block that ends with a
// labelled photo credit is a caption left in the body, wherever it sits; prose does not end like that.
const CREDIT_TAIL = /(?:^|[\s|/(–—-])(?:©|(?:fotos?|photos?|photograph|bild|image|crédits? photos?|photo credit)\s*:)\s*[^\s.!?][^.!?:]{0,80}\)?\.?$/iu;

function creditedCaption(block: Element): { caption: string | null; credit: string | null } | null {
  const text = (block.textContent ?? '').replace(/\s+/g, ' ').trim();
  // The credit first: it rules out almost every paragraph without splitting it into words.
  if (!text || !CREDIT_TAIL.test(text) || text.split(' ').length > MAX_CAPTION_WORDS) return null;
  // "Body sentence. Caption. (Photo: X)" is cut apart by stripGluedCaption, not taken whole.
  if (stripGluedCaption(text)) return null;
  const split = splitCaption(text);
  return split.credit ? split : null;
}

function nearestFree(placed: Placed[], block: Element): ArticleImage | null {
  const free = placed.filter((p) => isFree(p.entry));
  const before = free.filter((p) => block.contains(p.el) || (p.el.compareDocumentPosition(block) & 4) !== 0);
  return (before[before.length - 1] ?? free.find((p) => !before.includes(p)))?.entry ?? null;
}

function isFree(entry: ArticleImage): boolean {
  return entry.caption === null && entry.credit === null;
}

function removeWithEmptyParents(el: Element, stop: Element): void {
  let node: Element | null = el;
  while (node && node !== stop) {
    const parent: Element | null = node.parentElement;
    node.remove();
    if (!parent || (parent.textContent ?? '').trim() || firstElementUnder(parent, 'img')) return;
    node = parent;
  }
}

// The same picture twice (og:image and the body's first figure): one entry, the details merged.
function dedupe(images: ArticleImage[]): ArticleImage[] {
  const byUrl = new Map<string, ArticleImage>();
  for (const image of images) {
    const seen = image.url ? byUrl.get(image.url) : undefined;
    if (!seen) {
      byUrl.set(image.url || `#${byUrl.size}`, { ...image });
      continue;
    }
    seen.caption ??= image.caption;
    seen.credit ??= image.credit;
    seen.alt ??= image.alt;
  }
  return [...byUrl.values()];
}
