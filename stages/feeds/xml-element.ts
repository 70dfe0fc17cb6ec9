/** An element of a leniently parsed XML document; names are lower-cased, namespaces resolved to short keys. */
export interface XmlElement {
  /** Lower-cased local name: `entry`, `creator`, `rdf`. */
  local: string;
  /** Short key of the element's namespace (`atom`, `dc`, `content`, …), '' for none, else the namespace URI. */
  ns: string;
  /** Attributes by lower-cased qualified name (`href`, `xml:base`, `rdf:about`), entities decoded. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** The absolute base URL for this element's relative references: its xml:base chain over the document URL. */
  base: string | null;
  /** False when the document ended before this element's end tag (a truncated download). */
  complete: boolean;
}

export type XmlNode = XmlElement | string;

export const isElement = (n: XmlNode): n is XmlElement => typeof n !== 'string';

/** Reading helpers over XmlElement trees, for the RSS and Atom readers. */
export const xmlElement = {
  /** Child elements with this local name whose namespace is one of `ns`, complete or cut off (containers). */
  containers(el: XmlElement, local: string, ns: readonly string[]): XmlElement[] {
    return el.children.filter((c): c is XmlElement => isElement(c) && c.local === local && ns.includes(c.ns));
  },

  /** Like containers, but only complete elements: the value of one cut off by truncation is not trusted. */
  children(el: XmlElement, local: string, ns: readonly string[]): XmlElement[] {
    return xmlElement.containers(el, local, ns).filter((c) => c.complete);
  },

  child(el: XmlElement, local: string, ns: readonly string[]): XmlElement | undefined {
    return xmlElement.children(el, local, ns)[0];
  },

  /** All the text inside an element, markup dropped, trimmed; null when empty. */
  text(el: XmlElement | undefined): string | null {
    if (el === undefined) return null;
    const s = allText(el).trim();
    return s === '' ? null : s;
  },

  /** An attribute by local name, whatever its prefix (`about` finds `rdf:about`); trimmed, null when absent or empty. */
  attr(el: XmlElement | undefined, local: string): string | null {
    if (el === undefined) return null;
    const direct = el.attrs[local];
    const value = direct ?? Object.entries(el.attrs).find(([k]) => k.endsWith(`:${local}`) && !k.startsWith('xmlns'))?.[1];
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  },

  /** The element's content as markup: text escaped, child elements serialised (unescaped HTML inside RSS, Atom xhtml). */
  innerXml(el: XmlElement): string {
    return el.children.map(serialise).join('');
  },
};

function allText(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? allText(c) : c)).join('');
}

// HTML elements that never have content; serialised self-closed as XHTML does.
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'param', 'source', 'track', 'wbr']);
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function serialise(node: XmlNode): string {
  if (!isElement(node)) return escapeText(node);
  const attrs = Object.entries(node.attrs)
    .filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:'))
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  if (node.children.length === 0 && VOID.has(node.local)) return `<${node.local}${attrs} />`;
  return `<${node.local}${attrs}>${node.children.map(serialise).join('')}</${node.local}>`;
}
