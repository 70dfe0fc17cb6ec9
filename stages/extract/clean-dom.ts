import { boilerplateRules } from './boilerplate-rules.js';
import { closestElement, elementsUnder, isTag } from './elements-under.js';
import { isMarkedImage } from './mark-images.js';
import { nextInTree, textUpTo } from './text-up-to.js';

const { chromeName, chromeRoles: CHROME_ROLES, chromeTags: CHROME_TAGS, chromeText: CHROME_TEXT, junkTags: JUNK_TAGS } = boilerplateRules;
const { linkListHeading: LINK_LIST_HEADING, readAlsoPrefix: READ_ALSO_PREFIX, isConsentNotice, authorBioHeading: AUTHOR_BIO_HEADING } = boilerplateRules;

const JUNK: ReadonlySet<string> = new Set(JUNK_TAGS);
// Where a "Related" or "About the author" heading may stand.
const LINK_LIST_TAGS: ReadonlySet<string> = new Set(['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'div', 'span', 'strong', 'b']);
// Past this share of the page's text an element is the article (or holds it), whatever its class says.
const MAX_CHROME_SHARE = 0.5;
// "Small" chrome (bylines, tag lists, screen-reader labels) is at most this many characters.
const SMALL_CHROME_CHARS = 300;
// The largest <article> is the story only when it is this many times longer than any other beside it.
const MIN_MAIN_ARTICLE_LEAD = 2;
// Longer than this, what follows an "About the author" heading is more than biographies.
const MAX_AUTHOR_BIO_CHARS = 1500;
// A paragraph this long is running text, not a standfirst line or a byline.
const MIN_PROSE_CHARS = 150;
// `[itemprop~="articleBody" i]` as css-select tests it.
const ARTICLE_BODY_PROP = /(?:^|\s)articleBody(?:$|\s)/i;

/**
 * Remove page chrome from `root` in place before Readability scores it: scripts, comments, hidden
 * elements, navigation, share bars, ads, newsletter and cookie boxes, related lists, comment sections.
 * An element that is or holds the article body is never removed, whatever its class says.
 */
export function cleanDom(root: Element, rules: CleaningRules = 'full'): void {
  removeComments(root);
  // One walk for all the steps below: they only remove, unwrap or move elements within `root`, never add one,
  // so what is still in `root` at each step is the part of this list that `root.contains`, in the same order.
  const all = elementsUnder(root);
  for (const el of all) if (JUNK.has(el.localName.toLowerCase())) el.remove();
  const guard = makeGuard(root, all);
  for (const el of all) {
    // `contains`, not `isConnected`: Readability's content element is detached from the document.
    if (el === root || !root.contains(el)) continue;
    const verdict = rules === 'full' ? judge(el, guard) : judgeByTag(el, guard);
    if (verdict === 'remove') el.remove();
    else if (verdict === 'unwrap') el.replaceWith(...el.childNodes);
  }
  if (rules === 'light') return;
  for (const el of all) {
    if (!LINK_LIST_TAGS.has(el.localName.toLowerCase())) continue;
    if (root.contains(el)) removeLinkList(el, guard);
    if (/^H[2-6]$/.test(el.tagName) && root.contains(el)) removeAuthorBios(el, guard);
  }
}

/**
 * 'full' also judges class/id names and text; 'light' only tags, roles and hidden elements, for the
 * second try on a page where the full rules left Readability nothing (a theme naming its post "widget").
 */
export type CleaningRules = 'full' | 'light';

interface Guard {
  /** True when removing `el` would remove the article body. */
  holdsArticle(el: Element): boolean;
}

// `all`: the elements that were under `root`, in document order, some of them since removed.
function makeGuard(root: Element, all: readonly Element[]): Guard {
  const total = textLength(root);
  const under = (test: (el: Element) => boolean) => all.filter((el) => test(el) && root.contains(el));
  const mains = [mainArticle(under((el) => isTag(el, 'article'))), ...under(isMain)].filter((m): m is Element => m !== null);
  return {
    holdsArticle: (el) => mains.some((m) => el === m || el.contains(m)) || textLength(el, total * MAX_CHROME_SHARE) > total * MAX_CHROME_SHARE,
  };
}

// `article, main, [role="main"]`.
function isArticleOrMain(el: Element): boolean {
  const tag = el.localName.toLowerCase();
  return tag === 'article' || tag === 'main' || el.getAttribute('role') === 'main';
}

// `main, [role="main"], [itemprop~="articleBody" i]`.
function isMain(el: Element): boolean {
  if (isTag(el, 'main') || el.getAttribute('role') === 'main') return true;
  const prop = el.getAttribute('itemprop');
  return prop !== null && ARTICLE_BODY_PROP.test(prop);
}

// The largest <article>, when it stands out: one among several of a size is a teaser in a list ("related posts").
function mainArticle(candidates: readonly Element[]): Element | null {
  const articles = candidates.map((el) => ({ el, length: textLength(el) })).sort((a, b) => b.length - a.length);
  const first = articles[0];
  if (!first) return null;
  const rival = articles.find((a) => a !== first && !first.el.contains(a.el) && !a.el.contains(first.el));
  return !rival || first.length >= rival.length * MIN_MAIN_ARTICLE_LEAD ? first.el : null;
}

function judge(el: Element, guard: Guard): 'remove' | 'unwrap' | 'keep' {
  const tag = el.tagName.toLowerCase();
  // Themes put any class on <article> ("tag-x", "has-comments"): it is chrome only by tag or role.
  if (tag === 'body' || tag === 'html' || tag === 'head' || ((tag === 'article' || tag === 'main') && !el.getAttribute('role'))) return 'keep';
  if (isHidden(el) || CHROME_TAGS.includes(tag) || CHROME_ROLES.has(el.getAttribute('role')?.toLowerCase() ?? '')) {
    return guard.holdsArticle(el) ? 'keep' : 'remove';
  }
  // ASP.NET wraps whole pages in one <form>: keep its content, drop only small forms (search, signup).
  if (tag === 'form') return guard.holdsArticle(el) ? 'unwrap' : 'remove';
  if (tag === 'header') return judgeHeader(el, guard);
  const named = chromeName(el);
  if (named === 'chrome') return guard.holdsArticle(el) ? 'keep' : 'remove';
  if (named === 'small-chrome') return isSmall(el) ? 'remove' : 'keep';
  if (childrenAtMost(el, 3) && isChromeLabel(el)) return 'remove';
  if (isReadAlsoLine(el)) return 'remove';
  return 'keep';
}

function judgeByTag(el: Element, guard: Guard): 'remove' | 'keep' {
  const tag = el.tagName.toLowerCase();
  if (tag === 'body' || tag === 'html' || tag === 'head' || tag === 'article' || tag === 'main') return 'keep';
  const chrome = isHidden(el) || CHROME_TAGS.includes(tag) || CHROME_ROLES.has(el.getAttribute('role')?.toLowerCase() ?? '') || isConsentNotice(el);
  return chrome && !guard.holdsArticle(el) ? 'remove' : 'keep';
}

// A header inside the article holds title, byline and dates (metadata reads them first) and often
// the lead picture: the picture stays, the rest goes. A page header is chrome.
function judgeHeader(el: Element, guard: Guard): 'remove' | 'keep' {
  if (guard.holdsArticle(el) || holdsProse(el)) return 'keep';
  if (closestElement(el, isArticleOrMain)) {
    for (const img of elementsUnder(el, isMarkedImage)) el.before(img);
  }
  return 'remove';
}

// Paragraphs of running text: what no page header holds. Some layouts put each section's text in its <header>.
function holdsProse(el: Element): boolean {
  let prose = 0;
  for (const p of elementsUnder(el, 'p')) if (textLength(p, MIN_PROSE_CHARS) >= MIN_PROSE_CHARS) prose++;
  return prose >= 2;
}

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function isSmall(el: Element): boolean {
  return textLength(el, SMALL_CHROME_CHARS) <= SMALL_CHROME_CHARS && elementsUnder(el, 'p').length <= 1;
}

// `el.children.length <= max`, without building the list (linkedom builds one per read), for every element judged.
function childrenAtMost(el: Element, max: number): boolean {
  let count = 0;
  for (let child = el.firstElementChild; child; child = child.nextElementSibling) if (++count > max) return false;
  return true;
}

function isChromeLabel(el: Element): boolean {
  const text = textUpTo(el, 60, 'raw');
  return text !== undefined && CHROME_TEXT.test(text.replace(/\s+/g, ' ').trim());
}

// "Read more: <a>Other headline</a>": a line that is mostly a link to another article.
function isReadAlsoLine(el: Element): boolean {
  if (!/^(?:p|div|li|h[2-6]|strong|span)$/i.test(el.tagName) || !childrenAtMost(el, 4)) return false;
  const text = textUpTo(el, 250)?.replace(/\s+/g, ' ').trim();
  if (text === undefined || text.length > 250 || !READ_ALSO_PREFIX.test(text)) return false;
  // A bare "See also:" heads a link list below it: removeLinkList takes the two together.
  const rest = text.length - (READ_ALSO_PREFIX.exec(text)?.[0].length ?? 0);
  return rest > 0 && linkTextLength(el) >= rest * 0.5;
}

// "Related articles" / "Most read" followed by links: remove the heading and its links. A heading
// with no link list next to it is a real subheading ("More on the budget") and stays.
function removeLinkList(el: Element, guard: Guard): void {
  const text = textUpTo(el, 60)?.replace(/\s+/g, ' ').trim();
  if (text === undefined || text.length === 0 || text.length > 60 || !LINK_LIST_HEADING.test(text)) return;
  const parent = el.parentElement;
  if (parent && !guard.holdsArticle(parent) && textLength(parent, 2000) < 2000 && linkDensity(parent, text.length) >= 0.5) {
    parent.remove();
    return;
  }
  const next = el.nextElementSibling;
  if (next && !guard.holdsArticle(next) && linkDensity(next, 0) >= 0.5) {
    next.remove();
    el.remove();
  }
}

// "About the author" over a short biography: the heading and what it heads go. Its box, when the box opens with
// the heading and holds little else; else the heading and the one block after it.
function removeAuthorBios(heading: Element, guard: Guard): void {
  const text = textUpTo(heading, 40)?.replace(/\s+/g, ' ').trim();
  if (text === undefined || text.length > 40 || !AUTHOR_BIO_HEADING.test(text)) return;
  const parent = heading.parentElement;
  if (parent && parent.firstElementChild === heading && !guard.holdsArticle(parent) && textLength(parent, MAX_AUTHOR_BIO_CHARS) < MAX_AUTHOR_BIO_CHARS) {
    parent.remove();
    return;
  }
  const next = heading.nextElementSibling;
  if (next && !guard.holdsArticle(next) && textLength(next, MAX_AUTHOR_BIO_CHARS) < MAX_AUTHOR_BIO_CHARS) {
    next.remove();
    heading.remove();
  }
}

function linkDensity(el: Element, discount: number): number {
  const len = textLength(el) - discount;
  return len > 0 ? linkTextLength(el) / len : 0;
}

function linkTextLength(el: Element): number {
  let n = 0;
  for (const a of elementsUnder(el, 'a')) n += (a.textContent ?? '').replace(/\s+/g, ' ').trim().length;
  return n;
}

// `el.textContent.replace(/\s+/g, ' ').trim().length`, counted over its text nodes without joining them: the guard
// measures whole-page wrappers, and their text, joined and collapsed, was most of what cleaning allocated.
// Past `limit` the count stops, at some length over it: enough for a comparison with the limit.
function textLength(el: Element, limit = Infinity): number {
  let length = 0;
  let gap = false;
  let node: Node | null = el.firstChild;
  while (node) {
    if (node.nodeType === 3 || node.nodeType === 4) {
      const data = (node as CharacterData).data;
      for (let i = 0; i < data.length; i++) {
        if (isSpace(data.charCodeAt(i))) gap = length > 0;
        else {
          length += gap ? 2 : 1;
          gap = false;
          if (length > limit) return length;
        }
      }
    }
    node = nextInTree(node, el);
  }
  return length;
}

// The characters of JavaScript's \s (and of String#trim): ECMA-262 WhiteSpace and LineTerminator.
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function removeComments(root: Element): void {
  const walker = root.ownerDocument.createTreeWalker(root, 128 /* NodeFilter.SHOW_COMMENT */);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode?.removeChild(c);
}
