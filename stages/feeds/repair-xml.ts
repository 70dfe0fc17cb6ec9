import { htmlEntities } from './html-entities.js';

// Kept verbatim (but for illegal characters): inside these, & and < are not markup.
const VERBATIM = /(<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$))/;
// Characters XML 1.0 §2.2 forbids, and unpaired surrogates (not representable in UTF-8).
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const ROOT = /<(?:rss|feed|rdf:RDF)[\s>/]/;

/**
 * Makes a real-world feed well-formed enough for a strict XML parser: cuts junk before the
 * XML declaration or root (PHP warnings), drops DOCTYPEs, turns HTML named entities into
 * numeric ones, escapes bare & and <, and removes characters XML forbids. CDATA and comments
 * are left alone.
 */
export function repairXml(text: string): string {
  let doc = text.replace(/^\ufeff/, '');
  const root = doc.search(ROOT);
  const decl = doc.search(/<\?xml\s/);
  const start = decl >= 0 && (root < 0 || decl < root) ? decl : root;
  if (start > 0) doc = doc.slice(start);
  return dropDoctype(doc)
    .replace(ILLEGAL, '')
    .split(VERBATIM)
    .map((part, i) => (i % 2 === 1 ? part : repairMarkup(part)))
    .join('');
}

/**
 * Removes the DOCTYPE before the root, internal subset included: no entity declarations means no
 * billion-laughs expansion and no external entity (XXE), whatever the parser would do. A scan
 * rather than a regex, because a regex over nested [ ] and quotes can backtrack for ever.
 */
function dropDoctype(doc: string): string {
  const start = doc.search(/<!DOCTYPE/i);
  const root = doc.search(ROOT);
  if (start < 0 || (root >= 0 && root < start)) return doc;
  let quote: string | null = null;
  let depth = 0;
  for (let i = start + 9; i < doc.length; i++) {
    const c = doc[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return doc.slice(0, start) + doc.slice(i + 1);
  }
  return doc.slice(0, start);
}

function repairMarkup(part: string): string {
  return part
    .replace(/&(?:(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);)?/gi, (whole, ref: string | undefined) => fixReference(whole, ref))
    .replace(/<(?![\p{L}_:/!?])/gu, '&lt;');
}

function fixReference(whole: string, ref: string | undefined): string {
  if (ref === undefined) return '&amp;';
  if (ref.startsWith('#')) {
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return isXmlChar(code) ? whole : '&#xFFFD;';
  }
  if (XML_ENTITIES.has(ref)) return whole;
  const code = htmlEntities.get(ref);
  // An unknown name (or one a DOCTYPE we dropped would have defined) stays as literal text.
  return code === undefined ? `&amp;${ref};` : `&#${code};`;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}
