/** An element as xml2js builds it: child arrays by name, `_` for text, `$` for attributes. */
export type XmlNode = Record<string, unknown>;

const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reading helpers for xml2js output, which wraps children in arrays and text with attributes in `_`. */
export const xmlValues = {
  isNode,

  /** Trimmed text of a value, an element with attributes, or the first of an array; null if none. */
  text(v: unknown): string | null {
    if (Array.isArray(v)) return xmlValues.text(v[0]);
    if (typeof v === 'string') return v.trim() || null;
    if (typeof v === 'number') return String(v);
    if (isNode(v) && typeof v._ === 'string') return v._.trim() || null;
    return null;
  },

  /** An attribute of an element, trimmed; null if absent. */
  attr(v: unknown, name: string): string | null {
    if (!isNode(v) || !isNode(v.$)) return null;
    return xmlValues.text(v.$[name]);
  },

  /**
   * The page link among RSS <link>text</link> and Atom <link href rel/> elements: a link with no
   * rel or rel="alternate" (RFC 4287 §4.2.7.2), never self/enclosure/related ones.
   */
  pageLink(links: unknown): string | null {
    if (!Array.isArray(links)) return null;
    for (const link of links) {
      const href = xmlValues.attr(link, 'href');
      if (href === null) {
        const body = xmlValues.text(link);
        if (body !== null) return body;
        continue;
      }
      const rel = xmlValues.attr(link, 'rel');
      if (rel === null || rel.toLowerCase() === 'alternate') return href;
    }
    return null;
  },

  /** Category names from RSS <category>text</category> and Atom <category term label/>, each once. */
  categories(values: unknown[]): string[] {
    const names = values.map((v) => xmlValues.text(v) ?? xmlValues.attr(v, 'label') ?? xmlValues.attr(v, 'term'));
    return [...new Set(names.filter((n): n is string => n !== null))];
  },
};
