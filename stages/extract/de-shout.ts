// A name in capitals ("HARBOR DAILY STAFF") is a style sheet's text-transform leaking into the markup,
// or a CMS that stores bylines shouted: readers and dedupe want "Harbor Daily Staff".
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
// Acronyms stay shouted: a word without vowels ("BBC", "NPR") or a lone short name ("AP", "AFP").
const NO_VOWEL = /^[^AEIOUYÀ-ÖØ-Ý]+$/u;
const MAX_ACRONYM_LETTERS = 4;

/** "HARBOR DAILY STAFF" becomes "Harbor Daily Staff", "O'NEILL" "O'Neill"; mixed-case text and lone acronyms are returned as they are. */
export function deShout(text: string): string {
  if (LOWER.test(text) || !UPPER.test(text)) return text;
  const words = text.split(/(\s+)/);
  if (words.length === 1 && text.replace(/\P{L}/gu, '').length <= MAX_ACRONYM_LETTERS) return text;
  return words.map((word) => (/^\s+$/.test(word) || NO_VOWEL.test(word.replace(/\P{L}/gu, '')) ? word : capitalise(word))).join('');
}

// Each part after an apostrophe or hyphen starts a new capital: "JEAN-PAUL" → "Jean-Paul", "O'NEILL" → "O'Neill".
function capitalise(word: string): string {
  return word.toLowerCase().replace(/(^|['’\-.])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}
