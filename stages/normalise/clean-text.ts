// Zero-width and directional marks, soft hyphens and BOMs: invisible, but they split words and hashes.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// C0/C1 controls other than tab and newline: never text, and PostgreSQL rejects NUL.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Clean body text: NFC, no invisible or control characters, spaces folded inside each block,
 * blocks (paragraphs, headings) separated by exactly one blank line.
 */
export function cleanText(text: string): string {
  return text
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
  return text.normalize('NFC').replace(INVISIBLE, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/** Words in a text: runs of letters or digits (apostrophes and hyphens inside a word keep it whole). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
