import { decodeXmlText } from './decode-xml-text.js';

// A closing tag, a tag HTML would know, or a character reference: the text is HTML, not plain
// (feedparser's _looks_like_html asks the same question).
const LOOKS_LIKE_HTML = /<\/[a-z][a-z0-9]*\s*>|<(?:br|p|b|i|em|strong|a|img|span|div|hr)\b[^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/** Shared value cleaning for the RSS, Atom and JSON Feed readers. */
export const feedValues = {
  /** Whitespace collapsed; null when nothing is left. */
  collapse(s: string | null): string | null {
    if (s === null) return null;
    const out = s.replace(/[ \t\r\n]+/g, ' ').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    return out === '' ? null : out;
  },

  /** A title as plain text: when it is HTML, tags dropped and references decoded. */
  plainText(s: string | null, isHtml = false): string | null {
    if (s === null) return null;
    if (!isHtml && !LOOKS_LIKE_HTML.test(s)) return feedValues.collapse(s);
    return feedValues.collapse(decodeXmlText(s.replace(/<br\s*\/?>|<\/p>/gi, ' ').replace(/<[^>]*>/g, '')));
  },

  /** A trimmed markup value, null when empty. */
  markup(s: string | null): string | null {
    const t = s?.trim();
    return t ? t : null;
  },

  /** A reference resolved against its base (xml:base chain, then the feed URL); as written when it cannot be. */
  resolve(href: string | null, base: string | null): string | null {
    if (href === null) return null;
    const h = href.trim();
    if (h === '') return null;
    try {
      return new URL(h, base ?? undefined).href;
    } catch {
      return h;
    }
  },

  /** "desk@x.example (News Desk)" and "News Desk <desk@x.example>" to the name; anything else as written. */
  personName(s: string | null): string | null {
    const t = feedValues.collapse(s);
    if (t === null) return null;
    const paren = /^\S+@\S+\s*\((.+)\)$/.exec(t);
    if (paren) return paren[1]!.trim();
    const angle = /^(.+?)\s*<\S+@\S+>$/.exec(t);
    if (angle) return angle[1]!.replace(/^"|"$/g, '').trim();
    return t;
  },

  /** Names joined with ", ", each once; null when none. */
  joinNames(names: Array<string | null>): string | null {
    const list = [...new Set(names.filter((n): n is string => n !== null))];
    return list.length > 0 ? list.join(', ') : null;
  },

  unique(values: Array<string | null>): string[] {
    return [...new Set(values.map(feedValues.collapse).filter((v): v is string => v !== null))];
  },
};
