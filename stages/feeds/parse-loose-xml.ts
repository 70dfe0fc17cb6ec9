import { decodeXmlText } from './decode-xml-text.js';
import { namespaceKey, WELL_KNOWN_PREFIXES } from './namespace-key.js';
import type { XmlElement } from './xml-element.js';

const NAME = /[^\s/>]+/y;
const ATTR = /\s*([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/y;
const ENTRY = new Set(['item', 'entry']);

interface Open {
  el: XmlElement;
  name: string;
  scope: Map<string, string>;
}

/**
 * Text to an element tree, never failing: the way feedparser's loose mode reads what strict XML
 * parsers reject. An end tag closes the nearest open element of its name (stray ones are ignored),
 * elements still open at the end are closed and marked incomplete, a new <item>/<entry> closes an
 * unclosed sibling, DOCTYPEs are skipped unread, & and < that start nothing are text. Namespace
 * prefixes resolve to short keys (see namespaceKey); xml:base resolves against `baseUrl`.
 */
export function parseLooseXml(text: string, baseUrl: string | null): XmlElement {
  const doc: XmlElement = { local: '#document', ns: '', attrs: {}, children: [], base: baseUrl, complete: true };
  const stack: Open[] = [{ el: doc, name: '', scope: new Map() }];
  const top = () => stack[stack.length - 1]!;
  const addText = (s: string) => {
    if (s !== '') top().el.children.push(s);
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      addText(decodeXmlText(text.slice(i)));
      break;
    }
    if (lt > i) addText(decodeXmlText(text.slice(i, lt)));
    const next = text[lt + 1];
    if (text.startsWith('<!--', lt)) i = after(text, '-->', lt + 4);
    else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      addText(text.slice(lt + 9, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end + 3;
    } else if (next === '?') i = after(text, '?>', lt + 2);
    else if (next === '!') i = skipDeclaration(text, lt + 2);
    else if (next === '/') {
      const end = text.indexOf('>', lt);
      closeElement(stack, text.slice(lt + 2, end < 0 ? text.length : end).trim().toLowerCase());
      i = end < 0 ? text.length : end + 1;
    } else if (next !== undefined && /[\p{L}_:]/u.test(next)) i = openElement(text, lt, stack);
    else {
      addText('<');
      i = lt + 1;
    }
  }
  for (const open of stack.slice(1)) open.el.complete = false;
  return doc;
}

function after(text: string, marker: string, from: number): number {
  const end = text.indexOf(marker, from);
  return end < 0 ? text.length : end + marker.length;
}

/** Skips <!DOCTYPE …[ … ]> and the like, internal subset included, without reading it. A scan: a regex over nested [ ] and quotes can backtrack for ever. */
function skipDeclaration(text: string, from: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return text.length;
}

function openElement(text: string, lt: number, stack: Open[]): number {
  NAME.lastIndex = lt + 1;
  const name = NAME.exec(text)![0].toLowerCase();
  const raw: Record<string, string> = {};
  let i = NAME.lastIndex;
  for (;;) {
    ATTR.lastIndex = i;
    const m = ATTR.exec(text);
    if (m === null) break;
    const key = m[1]!.toLowerCase();
    if (!(key in raw)) raw[key] = decodeXmlText(m[2] ?? m[3] ?? m[4] ?? '');
    i = ATTR.lastIndex;
  }
  const end = text.indexOf('>', i);
  const selfClosing = end > 0 && text[end - 1] === '/';
  const colon = name.indexOf(':');
  const local = name.slice(colon + 1);
  if (ENTRY.has(local)) closeOpenSibling(stack, name);
  const parent = stack[stack.length - 1]!;
  const scope = withDeclarations(parent.scope, raw);
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const uri = scope.get(prefix);
  const ns = uri !== undefined ? namespaceKey(uri) : (WELL_KNOWN_PREFIXES.get(prefix) ?? prefix);
  const el: XmlElement = { local, ns, attrs: raw, children: [], base: resolveBase(raw['xml:base'], parent.el.base), complete: true };
  parent.el.children.push(el);
  if (!selfClosing && end >= 0) stack.push({ el, name, scope });
  if (end < 0) el.complete = false;
  return end < 0 ? text.length : end + 1;
}

function withDeclarations(parent: Map<string, string>, attrs: Record<string, string>): Map<string, string> {
  let scope = parent;
  for (const [key, value] of Object.entries(attrs)) {
    if (key !== 'xmlns' && !key.startsWith('xmlns:')) continue;
    if (scope === parent) scope = new Map(parent);
    scope.set(key === 'xmlns' ? '' : key.slice(6), value);
  }
  return scope;
}

/** A new <item> while another is still open means a missing </item>: close it rather than nest. */
function closeOpenSibling(stack: Open[], name: string): void {
  closeElement(stack, name);
}

function closeElement(stack: Open[], name: string): void {
  for (let at = stack.length - 1; at > 0; at--) {
    if (stack[at]!.name === name) {
      stack.length = at;
      return;
    }
  }
}

function resolveBase(xmlBase: string | undefined, parentBase: string | null): string | null {
  if (xmlBase === undefined || xmlBase.trim() === '') return parentBase;
  try {
    return new URL(xmlBase.trim(), parentBase ?? undefined).href;
  } catch {
    return parentBase;
  }
}
