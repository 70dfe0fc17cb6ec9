import { splitCaption } from './split-caption.js';

/** A body paragraph with a photo caption glued onto its end, taken apart. */
export interface GluedCaption {
  /** The paragraph without the caption; empty when the whole paragraph was a caption. */
  text: string;
  caption: string | null;
  credit: string | null;
}

// Only an explicit credit in parentheses marks a glued caption: "(credit: X/REUTERS)", "(Photo: X)",
// "(AP Photo/X)", "(X/Reuters)". Prose rarely ends like that, so this cannot eat a real sentence.
const GLUED_CREDIT = new RegExp(
  [
    String.raw`\(\s*(?:photo(?:graph)?\s+)?(?:credits?|photo(?:graph)?s?|images?|pictures?|fotos?)\s*[:：]\s*[^()]{2,120}\)`,
    String.raw`\(\s*[A-Z]{2,6}\s+Photos?\s*\/[^()]{2,80}\)`,
    String.raw`\(\s*[^()\/]{2,60}\/\s*(?:[A-Z][A-Z&. -]{1,30}|Getty Images|Reuters|Shutterstock|Alamy|Bloomberg)\s*\)`,
  ].join('|'),
  'u',
);
const TRAILING_CREDIT = new RegExp(String.raw`(?:${GLUED_CREDIT.source})\s*\.?\s*$`, 'iu');

// Sentence ends, but not after initials or common abbreviations ("U.S.", "Mr.", "Oct.").
const ABBREVIATION = /(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Capt|Prof|Rev|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|etc)\.)$/;

/**
 * Take a caption and its credit off the end of a body paragraph ("… West Bank. Palestinian Islamic Jihad
 * terrorists participate in a parade… (credit: MOHAMMED SALEM/REUTERS)"). The caption is taken to be the
 * last sentence before the credit; returns null when the paragraph does not end with a credit.
 */
export function stripGluedCaption(paragraph: string): GluedCaption | null {
  const text = paragraph.replace(/\s+/g, ' ').trim();
  const credit = TRAILING_CREDIT.exec(text);
  if (!credit) return null;
  const { credit: who } = splitCaption(credit[0]);
  const before = text.slice(0, credit.index).trim();
  const at = lastSentenceStart(before);
  return {
    text: before.slice(0, at).trim(),
    caption: before.slice(at).trim() || null,
    credit: who,
  };
}

function lastSentenceStart(text: string): number {
  let start = 0;
  for (const m of text.matchAll(/[.!?…]["”’)]?\s+(?=["“‘(]?[\p{Lu}\p{N}])/gu)) {
    const end = (m.index ?? 0) + m[0].trimEnd().length;
    if (ABBREVIATION.test(text.slice(Math.max(0, end - 6), end))) continue;
    if (end < text.length) start = (m.index ?? 0) + m[0].length;
  }
  return start;
}
