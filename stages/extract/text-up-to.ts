/**
 * `el.textContent`, or undefined once it is sure to be longer than `max` characters: as it stands
 * (`'raw'`), or with its whitespace collapsed and trimmed (`'collapsed'`, at least as long as its
 * characters other than whitespace). The walk stops there, so a wrapper around a whole page fails a short-label check
 * on its first paragraphs instead of joining the page's text for every element judged.
 */
export function textUpTo(el: Element, max: number, measure: 'raw' | 'collapsed' = 'collapsed'): string | undefined {
  let text = '';
  let solid = 0;
  let counted = 0;
  let node: Node | null = el.firstChild;
  while (node) {
    if (node.nodeType === 3 || node.nodeType === 4) {
      text += (node as CharacterData).data;
      if (text.length > max) {
        if (measure === 'raw') return undefined;
        solid += text.slice(counted).replace(/\s+/g, '').length;
        counted = text.length;
        if (solid > max) return undefined;
      }
    }
    let next: Node | null = node.firstChild;
    while (!next && node && node !== el) {
      next = node.nextSibling;
      if (!next) node = node.parentNode;
    }
    node = next;
  }
  return text;
}
