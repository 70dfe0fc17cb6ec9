const NAME = String.raw`\p{Lu}[\p{L}'’]+(?:-\p{L}+)?(?:\s+(?:(?:al|el|bin|ibn|de|da|van|von|der|del|di)[\s-])?\p{Lu}[\p{L}'’]+(?:-\p{L}+)?){1,3}`;
const VERBS = 'said|says|told|tells|added|adds|stated|wrote|explained|noted|insisted|argued|warned|claimed|declared|asked|replied';
const NEXT_TO_VERB = new RegExp(String.raw`(?:\b(?:${VERBS})\s+(${NAME}))|(?:(${NAME})\s+(?:${VERBS})\b)`, 'gu');
const NOT_NAMES = /^(?:The|This|That|These|Those|It|He|She|They|We|In|On|At|But|And|Officials?|Police)\b|\b\p{Lu}{2,}\b/u;

/**
 * Without NER people, the likely speakers: runs of two to four capitalised words right before or
 * after a speech verb ("Jane Doe said", "said John Smith"), counted by how often each occurs there.
 */
export function discoverSpeakers(text: string): { name: string; mentions: number }[] {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(NEXT_TO_VERB)) {
    const name = (m[1] ?? m[2])!.trim();
    if (NOT_NAMES.test(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, mentions]) => ({ name, mentions }));
}
