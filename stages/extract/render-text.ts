// Elements that start a new block of text. <br> also ends one: sites use it between paragraphs.
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'caption',
  'figure', 'figcaption', 'address', 'hr', 'br', 'details', 'summary',
]);
const CELL = new Set(['td', 'th']);
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Plain text of an element: one paragraph, heading or list item per block, blocks separated by exactly
 * one blank line, spaces folded inside each block, in Unicode NFC. Iterative, so deeply nested pages cannot overflow the stack.
 */
export function renderText(root: Element): string {
  const blocks: string[] = [];
  let buffer = '';
  const flush = () => {
    const block = buffer.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
    if (block) blocks.push(block);
    buffer = '';
  };
  // Each stack entry is a node to visit, or a marker to run when an element closes.
  const stack: (Node | (() => void))[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'function') {
      item();
      continue;
    }
    if (item.nodeType === 3 /* TEXT_NODE */) {
      buffer += (item as Text).data;
      continue;
    }
    if (item.nodeType !== 1 /* ELEMENT_NODE */) continue;
    const tag = (item as Element).tagName.toLowerCase();
    if (BLOCK.has(tag)) {
      flush();
      stack.push(flush);
    } else if (CELL.has(tag) && buffer.trim()) {
      buffer += ' | ';
    }
    for (let i = item.childNodes.length - 1; i >= 0; i--) stack.push(item.childNodes[i]!);
  }
  flush();
  // One spelling per character (W3C Character Model: Normalization): pages mix composed and decomposed forms.
  return blocks.join('\n\n').normalize('NFC');
}
