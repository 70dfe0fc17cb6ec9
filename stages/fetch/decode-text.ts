import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type TextKind = 'html' | 'xml' | 'json';

// WHATWG Encoding Standard: these labels mean windows-1252 on the web, whose 0x80–0x9F are
// curly quotes and dashes; iconv-lite's true ISO-8859-1 would give C1 controls instead.
const WEB_ALIASES = new Map<string, string>([
  ['iso-8859-1', 'windows-1252'], ['iso8859-1', 'windows-1252'], ['latin1', 'windows-1252'],
  ['l1', 'windows-1252'], ['us-ascii', 'windows-1252'], ['ascii', 'windows-1252'],
  ['cp819', 'windows-1252'], ['iso_8859-1', 'windows-1252'], ['x-user-defined', 'windows-1252'],
  ['binary', 'windows-1252'],
]);
// iconv-lite also knows these, but they are not text encodings a page may use: UTF-7 is banned
// on the web because it smuggles markup past filters (WHATWG Encoding §4.2 "replacement").
const REFUSED = new Set(['base64', 'hex', 'utf7', 'utf-7', 'unicode-1-1-utf-7', 'csunicode11utf7']);
// How far into the document a charset declaration is looked for (WHATWG HTML §13.2.3.2 prescans 1024 bytes; pages often put it later).
const PRESCAN_BYTES = 4096;

/**
 * Bytes to text, choosing the encoding as browsers do: byte-order mark, then the HTTP charset,
 * then BOM-less UTF-16, then the document's own declaration, then UTF-8 if the bytes are valid
 * UTF-8, else windows-1252. Never throws; undecodable bytes become U+FFFD.
 */
export function decodeText(bytes: Buffer, contentType: string | null, kind: TextKind): string {
  const encoding =
    bomEncoding(bytes) ??
    usable(charsetParam(contentType)) ??
    utf16Sniff(bytes) ??
    (kind === 'json' ? null : usable(declaredCharset(bytes, kind), true)) ??
    (isUtf8(bytes) ? 'utf-8' : 'windows-1252');
  return iconv.decode(bytes, encoding);
}

function bomEncoding(b: Buffer): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'utf-32le';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/** `<` or `{` with a zero byte beside it in the first two code units: UTF-16 without a BOM. */
function utf16Sniff(b: Buffer): string | null {
  if (b.length < 4) return null;
  if (b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return 'utf-16le';
  if (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return 'utf-16be';
  return null;
}

function charsetParam(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function declaredCharset(b: Buffer, kind: 'html' | 'xml'): string | null {
  // latin1 maps each byte to one char, so ASCII declarations read the same in any ASCII-compatible encoding.
  const head = b.subarray(0, PRESCAN_BYTES).toString('latin1');
  // Not anchored at the start: a PHP warning printed before <?xml must not hide the declaration.
  if (kind === 'xml') return /<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? null;
  const meta =
    /<meta[^>]*?\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(head) ??
    /<meta[^>]*?\bcontent\s*=\s*["'][^"']*?charset\s*=\s*([^"'\s;]+)/i.exec(head);
  return meta?.[1] ?? null;
}

/**
 * The iconv-lite name for a charset label, or null when we do not know it (then the next rule
 * decides). A document that declares UTF-16 but reached this point is ASCII-compatible, so it
 * is really UTF-8 (WHATWG HTML §13.2.3.3 step "if charset is UTF-16… set it to UTF-8").
 */
function usable(label: string | null, inDocument = false): string | null {
  if (label === null) return null;
  const name = label.trim().toLowerCase();
  if (name === '') return null;
  if (inDocument && /^utf-?16/.test(name)) return 'utf-8';
  const mapped = WEB_ALIASES.get(name) ?? name;
  return !REFUSED.has(mapped) && iconv.encodingExists(mapped) ? mapped : null;
}
