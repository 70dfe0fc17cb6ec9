const PARTICLE = String.raw`(?:al|el|bin|ibn|de|da|van|von|der|del|di|abu|abd)[\s-]`;
const NOT_NAME = /^(?:On|In|At|The|And|But|Of|For|To|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

/**
 * The fullest form the text gives a one-word person name: a NER may stop at "Ziyad" in
 * "Ziyad al-Nakhaleh". Longer names are kept as they are; they are already full.
 */
export function fullestName(text: string, name: string): string {
  if (/\s/.test(name)) return name;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(String.raw`(?<![\p{L}\p{N}])${escaped}((?:\s+${PARTICLE}?\p{Lu}[\p{L}'’-]+){1,2})`, 'gu');
  let best = name;
  for (const m of text.matchAll(pattern)) {
    const words = m[1]!.trim().split(/\s+/);
    const cut = words.findIndex((w) => NOT_NAME.test(w));
    const tail = (cut < 0 ? words : words.slice(0, cut)).join(' ');
    const candidate = tail ? `${name} ${tail}` : name;
    if (candidate.length > best.length) best = candidate;
  }
  return best;
}
