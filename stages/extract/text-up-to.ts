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
    node = nextInTree(node, el);
  }
  return text;
}

/** The node after `node` in document order without leaving `root` (its first child, else the next sibling of it or of an ancestor). */
export function nextInTree(node: Node, root: Node): Node | null {
  if (node.firstChild) return node.firstChild;
  for (let at: Node | null = node; at && at !== root; at = at.parentNode) {
    if (at.nextSibling) return at.nextSibling;
  }
  return null;
}
