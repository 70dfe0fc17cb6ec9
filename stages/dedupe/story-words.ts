// What counts as the words of a story, for near-duplicate detection. Syndicators change what is
// around a wire story more than the story itself: the byline, the dateline, a credit or tagline
// line, typography (curly vs straight quotes, dashes). Those lines are dropped and typography is
// folded away, so two copies differ only where their prose differs. Lines that merely mention a
// wire service inside a sentence are kept: only whole short lines matching these shapes go.

const TAGLINES: RegExp[] = [
  /^this (?:story|article|report) (?:was|has been) (?:compiled|written|produced|prepared|updated|corrected)\b/,
  /^this (?:story|article|report) (?:was |is )?(?:originally |first )?(?:published|appeared|republished)\b/,
  /^(?:\(?\s*)?(?:additional |writing and )?reporting by\b/,
  /^(?:\(?\s*)?(?:edited|editing|compiled|written) by\b/,
  /^(?:copyright|©|\(c\))/,
  /\ball rights reserved\.?$/,
  /^(?:[\w .'-]{0,60}) contributed (?:to )?(?:this|reporting)\b/,
  /^contributing:/,
  /^(?:follow|sign up|subscribe|read more|related|more on this story|click here|share this)\b/,
  /^the associated press contributed\b/,
  /^(?:update|updated|correction|clarification|editor's note)\b/,
];

// "By Ana Ruiz", "By Ana Ruiz and Tom Lee, Reuters": a byline is short and starts with "By".
const BYLINE = /^by\s+[\p{L}.' -]+(?:,\s*[\p{L}.' -]+)?$/u;
// "LONDON (Wire) —", "PARIS, Nov 24 (Reuters) -", "GENEVA —": an upper-case place, an optional
// date and agency, then a dash, at the start of the first paragraph.
const DATELINE = /^[\p{Lu}][\p{Lu} .'’-]{1,40}(?:,\s*[\p{L}0-9 .]{1,20})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+/u;

const MAX_BOILERPLATE_WORDS = 30;

/** True for a whole block (paragraph or line) that syndication adds or drops: taglines, credits, bylines. */
export function isBoilerplateLine(block: string): boolean {
  const line = foldTypography(block).toLowerCase().trim();
  if (line.length === 0) return true;
  if (line.split(/\s+/).length > MAX_BOILERPLATE_WORDS) return false;
  return TAGLINES.some((re) => re.test(line)) || BYLINE.test(line);
}

/** Straight quotes, plain hyphens, no ellipsis character: typography is the syndicator's, not the story's. */
export function foldTypography(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...');
}

/**
 * The story's words: boilerplate blocks and the dateline dropped, typography folded, case folded,
 * apostrophes removed inside words ("council's" = "councils"), digit groups joined ("1,200" = "1200"),
 * everything else (punctuation, dashes, quotes) a separator.
 */
export function storyWords(text: string): string[] {
  const blocks = text.split(/\n+/).map((b) => b.trim()).filter((b) => b.length > 0 && !isBoilerplateLine(b));
  const first = blocks[0];
  if (first !== undefined) blocks[0] = foldTypography(first).replace(DATELINE, '');
  const folded = foldTypography(blocks.join('\n'))
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/(\p{L})'(?=\p{L})/gu, '$1')
    .replace(/(\d)[,.](?=\d)/g, '$1');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}
