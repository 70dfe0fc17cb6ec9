/** What writeCleanHtml may emit; every other element is written as its children only. */
export interface CleanHtmlRules {
  /** Tags written as themselves, with their attributes named here only. */
  attributesByTag: Record<string, readonly string[]>;
  /** Tags written out with their attributes stripped. */
  bareTags: ReadonlySet<string>;
  /** Tags dropped when they hold no text and no picture (layout residue: emptied ad slots, spacer paragraphs). */
  dropWhenEmpty: ReadonlySet<string>;
  /** Tags written under another name: h1 → h2, the article's title being its one h1. */
  rename: Record<string, string>;
}

interface Written {
  html: string;
  /** Text other than whitespace, or a picture. */
  hasContent: boolean;
}

const VOID = new Set(['br', 'img']);

/**
 * The children of `root` as HTML, in one walk that never changes the tree: unknown elements are unwrapped, empty
 * blocks and pictures without a URL dropped. Escapes text and attributes as the HTML serialisation algorithm does,
 * and `<`/`>` in attribute values too. jsdom's DOM mutations cost more: each moved node updates its live iterators.
 */
export function writeCleanHtml(root: Element, rules: CleanHtmlRules): string {
  return writeChildren(root, rules).html;
}

function writeChildren(parent: Node, rules: CleanHtmlRules): Written {
  let html = '';
  let hasContent = false;
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const out = node.nodeType === 3 ? writeText(node.nodeValue ?? '') : node.nodeType === 1 ? writeElement(node as Element, rules) : null;
    if (!out) continue;
    html += out.html;
    hasContent ||= out.hasContent;
  }
  return { html, hasContent };
}

function writeElement(el: Element, rules: CleanHtmlRules): Written | null {
  const tag = el.tagName.toLowerCase();
  const allowed = rules.attributesByTag[tag];
  if (!allowed && !rules.bareTags.has(tag)) return writeChildren(el, rules);
  if (tag === 'img' && !el.getAttribute('src')) return null;
  const name = rules.rename[tag] ?? tag;
  let open = `<${name}`;
  for (const attr of allowed ?? []) {
    const value = el.getAttribute(attr);
    if (value !== null) open += ` ${attr}="${escapeAttribute(value)}"`;
  }
  open += '>';
  if (VOID.has(tag)) return { html: open, hasContent: tag === 'img' };
  const inner = writeChildren(el, rules);
  if (!inner.hasContent && rules.dropWhenEmpty.has(name)) return null;
  return { html: `${open}${inner.html}</${name}>`, hasContent: inner.hasContent };
}

function writeText(text: string): Written {
  return { html: text.replace(/[&<>\u00A0]/g, (c) => ENTITIES[c] ?? c), hasContent: /\S/.test(text) };
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>\u00A0]/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\u00A0': '&nbsp;' };
