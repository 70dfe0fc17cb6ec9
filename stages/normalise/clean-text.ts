// Zero-width and directional marks, soft hyphens and BOMs: invisible, but they split words and hashes.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// C0/C1 controls other than tab and newline: never text, and PostgreSQL rejects NUL.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// A surrogate without its pair (a JSON Feed's "\ud800"): not encodable as UTF-8, and refused by PostgreSQL's jsonb.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// NUL and the C0 controls HTML forbids in text (tab, LF, FF and CR stay: they are whitespace there).
const HTML_CONTROLS = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g;

/** Longest title or subtitle kept; a longer one (a hostile feed's 1 MB title) is cut and ends in "…". */
export const MAX_LINE_CHARS = 1000;

/**
 * Clean body text: NFC, no invisible or control characters, spaces folded inside each block,
 * blocks (paragraphs, headings) separated by exactly one blank line.
 */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROLS, ' ')
    .split(/\n\s*\n/)
    .map((block) => block.replace(/[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ').replace(/ *\n */g, '\n').trim())
    .filter((block) => block.length > 0)
    .join('\n\n');
}

/** Clean one-line metadata (titles, names): NFC, no controls, spaces folded. */
export function cleanLine(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').replace(INVISIBLE, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/** A title-like line, cleaned and cut to MAX_LINE_CHARS (at a space when there is one near the end). */
export function cleanTitle(text: string): string {
  const line = cleanLine(text.length > MAX_LINE_CHARS * 4 ? text.slice(0, MAX_LINE_CHARS * 4) : text);
  if (line.length <= MAX_LINE_CHARS) return line;
  const cut = line.slice(0, MAX_LINE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_LINE_CHARS * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** Stored HTML: well-formed UTF-16 (so valid UTF-8 when stored) with no NUL or forbidden control characters. */
export function cleanHtml(html: string): string {
  return html.replace(LONE_SURROGATE, '\uFFFD').replace(HTML_CONTROLS, '');
}

/**
 * A string any backend stores as it is: unpaired surrogates become U+FFFD and NUL goes (SQLite would
 * keep them, PostgreSQL refuses both in text and jsonb). For raw values kept verbatim otherwise,
 * such as a job's payload.
 */
export function storableString(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '');
}

/** Words in a text: runs of letters or digits (apostrophes and hyphens inside a word keep it whole). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
