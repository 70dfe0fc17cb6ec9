const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;
const NEEDS_CLEANING = /[’`.\-‐–\t\n]|\s\s|^\s|\s$/;

/**
 * The lookup form of a place name, so "Khān Yūnis", "khan yunis" and "U.S." / "US" meet:
 * accents dropped, lowercase, dots and a leading "the" removed, hyphens and runs of spaces as one
 * space. Most names are plain ASCII and skip the regular expressions: the gazetteer keys 135k names.
 */
export function placeKey(name: string): string {
  let key = (NON_ASCII.test(name) ? name.normalize('NFD').replace(MARKS, '') : name).toLowerCase();
  if (NEEDS_CLEANING.test(key)) {
    key = key.replace(/[’`]/g, "'").replace(/\./g, '').replace(/[-‐–]/g, ' ').replace(/\s+/g, ' ').trim();
  }
  return key.startsWith('the ') ? key.slice(4) : key;
}
