/** Which elements copyForPurify keeps, and with which attributes. */
export interface CopyRules {
  /** Tags copied with the attributes named here only. */
  attributesByTag: Record<string, readonly string[]>;
  /** Tags copied without attributes. */
  bareTags: ReadonlySet<string>;
  /** Tags not copied, nor anything they hold; every other tag is replaced by its copied children. */
  dropWithContent: ReadonlySet<string>;
}

// Start tags that close an open <p> (WHATWG HTML §13.2.6.4.7, "in body", no-quirks mode), among the tags kept.
const CLOSES_P = new Set(['P', 'UL', 'OL', 'DL', 'LI', 'DD', 'DT', 'BLOCKQUOTE', 'PRE', 'TABLE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
const ROW_GROUPS = new Set(['TBODY', 'THEAD', 'TFOOT']);
const TABLE_PARTS = new Set(['CAPTION', 'TBODY', 'THEAD', 'TFOOT', 'TR', 'TD', 'TH']);

/**
 * The children of `from` (an element of any DOM) copied under `to`, keeping only the tags and attributes of `rules`.
 * The copy is the tree the HTML parser would build from its serialisation, so that the output parses back to
 * itself: linkedom's parser is not the HTML5 one, and DOM calls build what no parser would. So, as the parser does,
 * a block closes an open <p>, a link an open link; table parts go where a table allows them (rows into a <tbody>,
 * cells into a row), or are ignored outside one; anything else met inside a table goes before it; CR becomes LF;
 * a newline opening a <pre> goes. Not copied: the parser's repair of a block inside an inline inside a <p>
 * (`<p><b><p>`), which re-opens the inline in each block after: the output's inline then nests differently.
 * Builds nodes, not HTML: jsdom builds a tree from DOM calls in a third of the time it takes to parse its HTML.
 * Returns the node later siblings of `from` go into.
 */
export function copyForPurify(from: Node, to: Node, rules: CopyRules): Node {
  const document = to.ownerDocument!;
  let into = to;
  for (let node = from.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3) {
      let data = lf(node.nodeValue ?? '');
      // The parser drops a newline just after <pre> (§13.2.6.4.7).
      if (into.nodeName === 'PRE' && !into.firstChild && data.startsWith('\n')) data = data.slice(1);
      const text = document.createTextNode(data);
      // Only whitespace stays in a table's own structure (§13.2.6.4.10).
      if (inTable(into) && /\S/.test(text.data)) foster(text, into);
      else into.appendChild(text);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const name = (node as Element).localName.toLowerCase();
    const allowed = rules.attributesByTag[name];
    const place = allowed || rules.bareTags.has(name) ? placeFor(name.toUpperCase(), into) : null;
    if (!place) {
      // Unwrapped: its children take its place, and a <p> they close stays closed for its later siblings too.
      if (!rules.dropWithContent.has(name)) into = copyForPurify(node, into, rules);
      continue;
    }
    const copy = document.createElement(name);
    for (const attr of allowed ?? []) {
      const value = (node as Element).getAttribute(attr);
      if (value !== null) copy.setAttribute(attr, lf(value));
    }
    // Attached first: a <p> closed inside the copy puts the rest of its children beside it.
    if (place.parent) place.parent.appendChild(copy);
    else foster(copy, into);
    into = place.next;
    copyForPurify(node, copy, rules);
  }
  return into;
}

interface Place {
  /** The element's parent; null: before the table `into` is part of. */
  parent: Node | null;
  /** Where its later siblings go. */
  next: Node;
}

/**
 * Where the parser would put an element `tag` (upper case) met while `into` is the current node, and where it
 * would put what follows; null when it ignores the tag. Covers the tags copied.
 */
function placeFor(tag: string, into: Node): Place | null {
  const at = into.nodeName;
  if (!inTable(into)) {
    if (TABLE_PARTS.has(tag)) return null;
    // A block closes an open <p>; a link, an open link (the adoption agency, §13.2.6.4.7, in its simplest case).
    if ((CLOSES_P.has(tag) && at === 'P') || (tag === 'A' && at === 'A')) return { parent: into.parentNode!, next: into.parentNode! };
    return { parent: into, next: into };
  }
  const table = tableOf(into);
  const group = ROW_GROUPS.has(at) ? into : at === 'TR' && ROW_GROUPS.has(into.parentNode!.nodeName) ? into.parentNode! : null;
  if (tag === 'TD' || tag === 'TH') {
    if (at === 'TR') return { parent: into, next: into };
    const row = (group ?? append(table, 'tbody')).appendChild(table.ownerDocument!.createElement('tr'));
    return { parent: row, next: row };
  }
  if (tag === 'TR') {
    const rowGroup = group ?? append(table, 'tbody');
    return { parent: rowGroup, next: rowGroup };
  }
  if (tag === 'CAPTION' || ROW_GROUPS.has(tag)) return { parent: table, next: table };
  // A table in a table ends the first one (§13.2.6.4.9).
  if (tag === 'TABLE') return { parent: table.parentNode!, next: table.parentNode! };
  return { parent: null, next: into };
}

function inTable(node: Node): boolean {
  return node.nodeName === 'TABLE' || node.nodeName === 'TR' || ROW_GROUPS.has(node.nodeName);
}

function tableOf(node: Node): Node {
  let at = node;
  while (at.nodeName !== 'TABLE') at = at.parentNode!;
  return at;
}

function append(parent: Node, tag: string): Node {
  return parent.appendChild(parent.ownerDocument!.createElement(tag));
}

// What a table cannot hold goes just before it (foster parenting, §13.2.6.1).
function foster(node: Node, into: Node): void {
  const table = tableOf(into);
  table.parentNode!.insertBefore(node, table);
}

// The parser's input stream has no CR (§13.2.3.5).
function lf(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
