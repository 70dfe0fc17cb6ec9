import { deShout } from './de-shout.js';

// Boilerplate that sits in bylines next to names.
const NOT_A_NAME = /^(?:staff|updated|published|posted|more|share|follow|admin|administrator|unknown|anonymous|null|undefined|none|n\/a|and|by|the editors?|reuters staff)$/i;
// A job title ("Staff Writer", "Senior Political Correspondent") is role words only; "A. Writer" and
// "Harbor Daily Staff" are kept, as they name who wrote the piece.
const ROLE = new RegExp(`^(?:(?:${[
  'senior', 'chief', 'deputy', 'associate', 'assistant', 'contributing', 'special', 'staff', 'managing', 'executive', 'political', 'foreign',
  'national', 'international', 'business', 'sports?', 'science', 'health', 'tech(?:nology)?', 'investigative', 'digital', 'news', 'features?',
  'local', 'city', 'metro', 'opinion', 'lead', 'guest', 'freelance', 'white house', 'economics', 'environment', 'culture', 'arts', 'legal', 'data',
].join('|')})\\s+)*(?:writer|reporter|correspondent|editor|contributor|columnist|producer|photographer|journalist|analyst|intern|editor-at-large|bureau chief)s?$`, 'i');
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_TOKEN = /(?:https?:\/\/|www\.)[^\s()<>\[\]]+/gi;
const BY = /^(?:(?:written|words|story|text|reporting|report|compiled|posted|photos?(?: and text)?)\s+)?by\s*:?\s+/i;

/** Author names from a byline: "By JANE DOE and John Roe | Reuters" gives ["Jane Doe", "John Roe"]; emails, URLs, dates and job titles dropped. */
export function splitAuthors(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text || /^(?:https?:)?\/\//i.test(text)) return [];
  for (const segment of segments(text)) {
    const names = namesIn(segment);
    if (names.length > 0) return names;
  }
  return [];
}

function namesIn(segment: string): string[] {
  return segment
    .replace(EMAIL, ' ')
    .replace(URL_TOKEN, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .split(/\s*(?:,|;|\||•|·|&|\band\b|\bund\b|\bet\b|\by\b|\s\/\s)\s*/i)
    .map((part) => part.replace(BY, '').replace(/^[@\s]+|[\s.,:;–—-]+$/g, '').trim())
    .filter(isName)
    .map(deShout);
}

// "Jane Doe | Reuters", "Staff Writer | Jane Doe | Updated 10:42": bars separate a name from an outlet, a
// job title or a date, so only the first bar-separated segment holding a name counts. "Reporting by A;
// Editing by B" (wire style) credits A as author and B as editor only.
function segments(text: string): string[] {
  return text.split(/\s*\|\s*/).map((part) => part.replace(/[;,]?\s*(?:additional\s+reporting|editing|edited|graphics)\s+by\b.*$/i, ''));
}

function isName(name: string): boolean {
  if (name.length < 2 || name.length > 80) return false;
  if (/[@/\\<>{}=]|https?:|www\./i.test(name) || !/\p{L}/u.test(name)) return false;
  // Digits mean a date or a time crept in ("Updated 10:42"): names have none.
  if (NOT_A_NAME.test(name) || ROLE.test(name) || /\d/.test(name)) return false;
  return name.split(' ').length <= 6;
}
