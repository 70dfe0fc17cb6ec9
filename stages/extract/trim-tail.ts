import { boilerplateRules } from './boilerplate-rules.js';
import { elementsUnder, firstElementUnder } from './elements-under.js';
import { textUpTo } from './text-up-to.js';

const { linkListHeading: LINK_LIST_HEADING } = boilerplateRules;

// A heading over a list of other articles ("Auch interessant", "Weitere Beiträge"). cleanDom may have
// taken the list already and left the heading over more of the story: such a heading only goes itself.
const RELATED_LABEL = new RegExp(
  '^(?:' +
    [
      'mehr themen', 'weitere (?:beiträge|artikel|news|nachrichten|themen|meldungen)(?: zum thema| aus der \\w+| zu diesem thema)?',
      'beiträge zum thema', 'empfohlene (?:beiträge|artikel)', 'neueste (?:beiträge|artikel|news)', 'aktuelle (?:beiträge|artikel|news)',
      'das könnte (?:dich|sie|euch) (?:auch )?interessieren', 'auch interessant', 'schon gelesen', 'ebenfalls interessant',
      'vorschau auf den nächsten artikel', 'nächster artikel', 'next (?:article|story|post)', 'previous (?:article|story|post)',
      'vorheriger artikel', 'entdecke (?:weitere|mehr)\\b.*', 'more (?:stories|articles|news)(?: like this)?', 'recommended for you',
      'noticias relacionadas', 'artículos relacionados', 'te puede interesar', 'articles similaires', 'articoli correlati', 'powiązane artykuły',
      'zobacz również', 'relacionadas', 'veja também', 'leia (?:também|mais)', 'mais lidas',
    ].join('|') +
    ')[\\s.:!?…»>]*$',
  'iu',
);

// A short block saying only this starts what follows an article: comments, sharing and rating prompts,
// tag lists, contact boxes, "more on this" lists, the author's bio. Labels, never prose: a sentence
// does not match. In the languages of our feeds; sources: Trafilatura's and jusText's boilerplate lists.
const END_LABEL = new RegExp(
  '^(?:' +
    [
      // comments
      '(?:\\d+\\s+)?(?:comments?|kommentare?|comentarios?|commentaires?|commenti|komentarze?|reacties|reactions?)(?:\\s*\\(\\d+\\))?',
      '(?:leave|post|add|write) a (?:comment|reply)', 'join the (?:discussion|conversation)', 'keine kommentare.*', 'kommentieren',
      'kommentar (?:schreiben|verfassen|abgeben)', 'schreibe?n? (?:sie )?einen kommentar', 'diskutieren sie mit', 'deja (?:un|tu) comentario',
      'laisser un commentaire', 'lascia un commento', 'dodaj komentarz', 'kommentare (?:geschlossen|insgesamt)\\b.*',
      'sie müssen sich einloggen.*', 'sie sind (?:aktuell )?nicht eingeloggt.*',
      // sharing and rating
      '(?:diesen )?(?:artikel|beitrag|seite) (?:teilen|empfehlen|bewerten|drucken)', 'möchten sie (?:den|diesen) (?:artikel|beitrag) teilen',
      '(?:war|ist) (?:der|dieser) (?:artikel|beitrag) (?:hilfreich|nützlich)', 'was this (?:article|page|post) (?:helpful|useful)',
      'share (?:this|the) (?:article|story|post|page)', 'teile (?:diesen|den) (?:artikel|beitrag)', 'compartir (?:esta )?(?:nota|noticia)',
      'partager (?:cet|l\')article', '\\(?noch keine bewertungen\\)?', 'bewerten sie (?:diesen|den) (?:artikel|beitrag)',
      // tags and topics
      'tags?', 'schlagw(?:orte|örter)', 'stichw(?:orte|örter)', 'themen', 'etiquetas', 'mots-clés', 'tagi', 'topics',
      // contact, sources, further information
      'kontakt', 'pressekontakt', 'ansprechpartner(?:in)?(?: zum thema)?', 'medienkontakt', 'contact(?: us)?', 'press contact',
      'quellen(?:angaben)?', 'quellen (?:anzeigen|ausblenden)', 'sources?', 'fuentes?', 'źródła', 'weitere informationen',
      'weiterführende (?:links|informationen|artikel)', 'links zum thema', 'mehr (?:informationen|infos)(?: zum thema)?',
      // author boxes and newsletters
      '(?:über|about) (?:den autor|die autorin|the author|the authors|uns|us)', 'zur person', 'der autor', 'die autorin', 'autor(?:in)?',
      'newsletter(?: abonnieren)?', 'sign up for (?:our|the) newsletter', 'jetzt (?:abonnieren|newsletter abonnieren)',
      // navigation left at the end
      'zurück(?: zur übersicht)?', 'zur übersicht', 'back(?: to (?:top|overview))?', 'nach oben', 'top',
    ].join('|') +
    ')[\\s.:!?…»>]*$',
  'iu',
);
// Elements that can be such a label: leaf-ish blocks and the inline wrappers themes put labels in.
const LABEL_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'span', 'strong', 'b', 'li', 'dt', 'section', 'header', 'a', 'button', 'summary']);
// A label this early is a subheading of the article ("Kontakt" in a guide), not the start of its tail.
const MIN_TAIL_START = 0.5;
const MAX_LABEL_CHARS = 80;
// "© 2024 Example Media. All rights reserved. No reprint without permission.": the page's small print.
const COPYRIGHT = /^(?:©|\(c\)\s|copyright\b)/i;
const MAX_COPYRIGHT_CHARS = 300;
// A photo credit ("© Jane Doe") can sit anywhere in the body; small print comes last.
const MIN_COPYRIGHT_START = 0.8;
const INLINE_TAGS = new Set(['span', 'strong', 'b', 'a']);
// A paragraph this long, with few links, right after a label is the story going on.
const MIN_PROSE_CHARS = 200;

/**
 * Cut the tail of an article body from the first label of post-article chrome in its second half
 * ("Comments", "Mehr zum Thema", "Tags:", "About the author") to the end. Returns the characters removed.
 */
export function trimTail(content: Element): number {
  const total = compactLength(content.textContent ?? '');
  if (total === 0) return 0;
  for (let marker = findEndLabel(content, total); marker; marker = findEndLabel(content, total)) {
    // A "more on this" heading whose links cleanDom already took, followed by more of the story: only the label goes.
    if (isRelatedLabel(marker) && startsProse(nextBlock(marker, content))) {
      marker.remove();
      continue;
    }
    removeFromHere(marker, content);
    break;
  }
  return total - compactLength(content.textContent ?? '');
}

// Depth-first, with the count of characters before each element, iteratively (deep pages overflow a recursion).
function findEndLabel(root: Element, total: number): Element | null {
  let seen = 0;
  const stack: Node[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === 3 /* TEXT_NODE */) {
      seen += compactLength((node as Text).data);
      continue;
    }
    if (node.nodeType !== 1 /* ELEMENT_NODE */) continue;
    const el = node as Element;
    if (seen >= total * MIN_TAIL_START && isEndLabel(el, seen / total)) return el;
    for (let i = el.childNodes.length - 1; i >= 0; i--) stack.push(el.childNodes[i]!);
  }
  return null;
}

function isEndLabel(el: Element, at: number): boolean {
  const tag = el.tagName.toLowerCase();
  if (!LABEL_TAGS.has(tag)) return false;
  // Read only as far as the longest line judged: a wrapper of the whole second half is no label.
  const text = textUpTo(el, MAX_COPYRIGHT_CHARS)?.replace(/\s+/g, ' ').trim();
  if (text === undefined || text.length === 0 || text.length > MAX_COPYRIGHT_CHARS) return false;
  if (COPYRIGHT.test(text)) return at >= MIN_COPYRIGHT_START;
  if (text.length > MAX_LABEL_CHARS) return false;
  // An inline word inside a sentence ("… (<a>source</a>)") is no label: it must be its whole block.
  if (INLINE_TAGS.has(tag) && compactLength(el.parentElement?.textContent ?? '') !== compactLength(text)) return false;
  return END_LABEL.test(text) || isRelatedLabel(el);
}

function isRelatedLabel(el: Element): boolean {
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  return RELATED_LABEL.test(text) || LINK_LIST_HEADING.test(text);
}

/** The first element after `el` in document order that is not inside it, within `root`. */
function nextBlock(el: Element, root: Element): Element | null {
  for (let node: Element | null = el; node && node !== root; node = node.parentElement) {
    for (let next = node.nextElementSibling; next; next = next.nextElementSibling) {
      if ((next.textContent ?? '').trim()) return next;
    }
  }
  return null;
}

function startsProse(el: Element | null): boolean {
  if (!el) return false;
  const first = firstElementUnder(el, 'p') ?? el;
  const text = compactLength(first.textContent ?? '');
  let linked = 0;
  for (const a of elementsUnder(first, 'a')) linked += compactLength(a.textContent ?? '');
  return text >= MIN_PROSE_CHARS && linked < text * 0.2;
}

/** Remove `el`, everything after it in document order inside `root`, and the ancestors that leaves empty. */
function removeFromHere(el: Element, root: Element): void {
  for (let node: Node | null = el; node && node !== root; node = node.parentNode) {
    while (node.nextSibling) node.parentNode!.removeChild(node.nextSibling);
  }
  let parent: Element | null = el.parentElement;
  el.remove();
  while (parent && parent !== root && !(parent.textContent ?? '').trim() && !firstElementUnder(parent, 'img')) {
    const up: Element | null = parent.parentElement;
    parent.remove();
    parent = up;
  }
}

function compactLength(text: string): number {
  return text.replace(/\s+/g, '').length;
}
