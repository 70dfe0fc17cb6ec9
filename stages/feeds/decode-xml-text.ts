import { htmlEntities } from './html-entities.js';

const REFERENCE = /&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;
// Characters XML 1.0 §2.2 forbids, and unpaired surrogates: dropped, as feedparser's loose mode does.
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text or an attribute value as written in a feed, with references replaced: numeric ones, XML's
 * five and HTML 4's named ones (feeds written by HTML-minded CMSes use &eacute; and &nbsp;).
 * A bare & stays literal, and so does an unknown name: no DOCTYPE is ever read, so no entity
 * can expand to anything but one character (no billion laughs, no external entities).
 */
export function decodeXmlText(raw: string): string {
  const s = raw.includes('&') ? raw.replace(REFERENCE, replaceReference) : raw;
  return s.replace(ILLEGAL, '');
}

function replaceReference(whole: string, ref: string): string {
  if (ref[0] !== '#') {
    const code = htmlEntities.get(ref) ?? htmlEntities.get(ref.toLowerCase());
    return code === undefined ? whole : String.fromCodePoint(code);
  }
  const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252_C1[code - 0x80] ?? '\ufffd';
  return isXmlChar(code) ? String.fromCodePoint(code) : '\ufffd';
}

// &#146; and friends: CMSes that wrote windows-1252 byte values as references meant these
// characters (HTML5 §13.2.5.80 maps them the same way).
const WINDOWS_1252_C1 = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}
