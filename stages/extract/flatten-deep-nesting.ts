// Elements kept at any depth: they hold the paragraphs, and the parser never nests one inside itself.
const KEEP = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'img', 'br']);

/**
 * Unwrap elements nested deeper than `maxDepth` below `root`, keeping their content. Real pages stay
 * well under 60 levels; thousands of unclosed <div>s make Readability's time grow with the cube of the
 * depth, and jsdom's recursive tree walks overflow the stack. Walks with sibling pointers, never recursion.
 */
export function flattenDeepNesting(root: Element, maxDepth: number): number {
  const deep: Element[] = [];
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [el, depth] = stack.pop()!;
    if (depth > maxDepth && !KEEP.has(el.tagName.toLowerCase())) deep.push(el);
    for (let child = el.lastElementChild; child; child = child.previousElementSibling) stack.push([child, depth + 1]);
  }
  // Deepest first (reverse document order), so every subtree moved up is already shallow.
  for (let i = deep.length - 1; i >= 0; i--) {
    const el = deep[i]!;
    const parent = el.parentNode;
    if (!parent) continue;
    while (el.firstChild) parent.insertBefore(el.firstChild, el);
    el.remove();
  }
  return deep.length;
}
