/** Which elements a walk keeps: a lowercase tag name, a set of them, or a test on the element. */
export type ElementMatch = string | ReadonlySet<string> | ((el: Element) => boolean);

/** Whether `el` is a `tag` element (lowercase), in either DOM and either case of its source. */
export function isTag(el: Element, tag: string): boolean {
  return el.localName.toLowerCase() === tag;
}

/**
 * The elements under `root` (an element or a document) in document order that `match` keeps, every one when
 * it is absent: what `root.querySelectorAll(selector)` gives, without a selector engine. linkedom parses and
 * compiles the selector on every call, then its css-select tests each element through an adapter (lowercasing
 * the element's name once per tag of a list: 27 times an element for the junk tags); a TreeWalker and a Set or
 * a plain test cost a fraction of that (and of a walk by sibling pointers, on both DOMs).
 */
export function elementsUnder(root: ParentNode, match?: ElementMatch): Element[] {
  const test = toTest(match);
  const document = (root as Node).ownerDocument ?? (root as Document);
  const walker = document.createTreeWalker(root as Node, 1 /* NodeFilter.SHOW_ELEMENT */);
  const out: Element[] = [];
  // A template's content is no part of the document: selectors never see into it. jsdom keeps it out of the
  // tree; linkedom's TreeWalker lists it, so what follows a template is skipped while the template holds it.
  let template: Element | null = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node as Element;
    if (template) {
      if (template.contains(el)) continue;
      template = null;
    }
    if (!test || test(el)) out.push(el);
    if (el.localName === 'template') template = el;
  }
  return out;
}

/**
 * The first element under `root` that `match` keeps, or null: `root.querySelector(selector)`. By sibling
 * pointers, as it stops early: linkedom's TreeWalker lists the whole subtree before its first step.
 */
export function firstElementUnder(root: ParentNode, match: ElementMatch): Element | null {
  const test = toTest(match)!;
  let el: Element | null = root.firstElementChild;
  while (el) {
    if (test(el)) return el;
    let next: Element | null = el.localName === 'template' ? null : el.firstElementChild;
    while (!next && el && el !== root) {
      next = el.nextElementSibling;
      if (!next) el = el.parentElement;
    }
    el = next;
  }
  return null;
}

/** `el` or its nearest ancestor that `match` keeps, or null: `el.closest(selector)`. */
export function closestElement(el: Element, match: ElementMatch): Element | null {
  const test = toTest(match)!;
  for (let at: Element | null = el; at; at = at.parentElement) if (test(at)) return at;
  return null;
}

function toTest(match: ElementMatch | undefined): ((el: Element) => boolean) | null {
  if (match === undefined) return null;
  if (typeof match === 'function') return match;
  if (typeof match === 'string') return (el: Element) => isTag(el, match);
  return (el: Element) => match.has(el.localName.toLowerCase());
}
