const PARTICLE = String.raw`(?:al|el|bin|ibn|de|da|van|von|der|del|di|abu|abd)[\s-]`;
// One or two capitalised words right after the name, from where it ends (sticky).
const TAIL = new RegExp(String.raw`(?:\s+${PARTICLE}?\p{Lu}[\p{L}'’-]+){1,2}`, 'uy');
const LETTER_OR_DIGIT = /[\p{L}\p{N}]$/u;
const NOT_NAME = /^(?:On|In|At|The|And|But|Of|For|To|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

/**
 * The fullest form the text gives a one-word person name: a NER may stop at "Ziyad" in
 * "Ziyad al-Nakhaleh". Longer names are kept as they are; they are already full.
 */
export function fullestName(text: string, name: string): string {
  if (/\s/.test(name)) return name;
  let best = name;
  for (const following of tailsAfter(text, name)) {
    const words = following.trim().split(/\s+/);
    const cut = words.findIndex((w) => NOT_NAME.test(w));
    const tail = (cut < 0 ? words : words.slice(0, cut)).join(' ');
    const candidate = tail ? `${name} ${tail}` : name;
    if (candidate.length > best.length) best = candidate;
  }
  return best;
}

/**
 * The capitalised words following each occurrence of `name` not preceded by a letter or digit:
 * what `/(?<![\p{L}\p{N}])name((?:\s+…){1,2})/gu` captures, left to right, a match resuming
 * after the previous one's end. indexOf finds the name; only there is the Unicode pattern run.
 */
function tailsAfter(text: string, name: string): string[] {
  const out: string[] = [];
  // Past the end indexOf would find an empty name again at the end: stop there.
  const next = (from: number) => (from > text.length ? -1 : text.indexOf(name, from));
  for (let at = next(0); at >= 0; ) {
    TAIL.lastIndex = at + name.length;
    const m = !LETTER_OR_DIGIT.test(text.slice(Math.max(0, at - 2), at)) ? TAIL.exec(text) : null;
    if (m) out.push(m[0]);
    at = m ? next(TAIL.lastIndex) : next(at + 1);
  }
  return out;
}
