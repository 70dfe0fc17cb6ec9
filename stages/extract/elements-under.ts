/**
 * The elements under `root` in document order whose tag name (lowercase) is in `tags`, every one
 * when `tags` is absent: what `root.querySelectorAll('a, b, …')` or `('*')` gives, without a selector
 * engine testing each of the list's tags against each element (linkedom's css-select lowercases the
 * element's name once per tag: 27 times an element for the junk tags).
 */
export function elementsUnder(root: Element, tags?: ReadonlySet<string>): Element[] {
  const out: Element[] = [];
  let el: Element | null = root.firstElementChild;
  while (el) {
    if (!tags || tags.has(el.localName.toLowerCase())) out.push(el);
    // A template's content is no part of the document: selectors never see into it.
    let next: Element | null = el.localName === 'template' ? null : el.firstElementChild;
    while (!next && el && el !== root) {
      next = el.nextElementSibling;
      if (!next) el = el.parentElement;
    }
    el = next;
  }
  return out;
}
