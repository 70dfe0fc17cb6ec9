import { elementsUnder, isTag } from './elements-under.js';

/** What the page's schema.org JSON-LD says about the article; every field may be missing. */
export interface JsonLdFacts {
  isArticle: boolean;
  headline: string | null;
  description: string | null;
  authors: string[];
  datePublished: string | null;
  dateModified: string | null;
  publisherName: string | null;
  section: string | null;
  keywords: string[];
  /** The first image, with an ImageObject's caption and credit when it gives them. */
  image: { url: string; caption: string | null; credit: string | null } | null;
  inLanguage: string | null;
  /** The article's `url`, else its `mainEntityOfPage` (a URL or a WebPage's @id). */
  url: string | null;
  /** `alternativeHeadline`, a standfirst some sites give instead of a description. */
  alternativeHeadline: string | null;
  accessibleForFree: boolean | null;
}

type Node = Record<string, unknown>;

// `script[type*="ld+json" i]`, as css-select tests it.
const isJsonLdScript = (el: Element) => isTag(el, 'script') && /ld\+json/i.test(el.getAttribute('type') ?? '');
const ARTICLE_TYPE = /(?:Article|BlogPosting|Report|Posting|Review)$/;
const MAX_DEPTH = 8;

/** Read the article node of every `<script type="application/ld+json">` (among `elements`, all of the document's in order); malformed blocks are skipped, never thrown. */
export function readJsonLd(document: Document, elements: readonly Element[] = elementsUnder(document)): JsonLdFacts {
  const nodes: Node[] = [];
  for (const script of elements.filter(isJsonLdScript)) {
    const data = parseLoosely(script.textContent ?? '');
    if (data !== undefined) collect(data, nodes, 0);
  }
  const byId = new Map<string, Node>();
  // A bare {"@id": …} is a reference, not the node: it must not shadow the node it points at.
  for (const node of nodes) if (typeof node['@id'] === 'string' && Object.keys(node).length > 1) byId.set(node['@id'], node);
  const deref = (v: unknown): unknown => (isNode(v) && typeof v['@id'] === 'string' && Object.keys(v).length === 1 ? (byId.get(v['@id']) ?? v) : v);

  const article = nodes.find((n) => types(n).some((t) => ARTICLE_TYPE.test(t))) ?? nodes.find((n) => typeof n.headline === 'string');
  const page = nodes.find((n) => types(n).some((t) => /WebPage$/.test(t)));
  const main = article ?? page ?? {};
  const site = nodes.find((n) => types(n).includes('WebSite'));
  return {
    isArticle: article !== undefined,
    headline: str(main.headline) ?? (article ? str(main.name) : null),
    description: str(main.description),
    // author may be a string, a Person or Organization, an @id reference, or an array of any of these.
    authors: list(main.author ?? main.creator).flat().map(deref).map(nameOf).filter((n): n is string => n !== null),
    datePublished: str(main.datePublished) ?? str(main.dateCreated),
    dateModified: str(main.dateModified),
    publisherName: list(main.publisher).map(deref).map(nameOf).find((n) => n !== null) ?? (site ? nameOf(site) : null),
    section: list(main.articleSection).map(str).find((s) => s !== null) ?? null,
    keywords: list(main.keywords).flatMap((k) => (typeof k === 'string' ? k.split(',') : [nameOf(k) ?? ''])).map((k) => k.trim()).filter(Boolean),
    image: list(main.image ?? main.thumbnailUrl).flat().map(deref).map((i) => imageOf(i, deref)).find((i) => i !== null) ?? null,
    inLanguage: str(main.inLanguage) ?? nameOf(main.inLanguage),
    url: str(main.url) ?? str(main.mainEntityOfPage) ?? (isNode(main.mainEntityOfPage) ? str(main.mainEntityOfPage['@id']) ?? str(main.mainEntityOfPage.url) : null),
    alternativeHeadline: str(main.alternativeHeadline),
    accessibleForFree: bool(main.isAccessibleForFree),
  };
}

function imageOf(v: unknown, deref: (v: unknown) => unknown): JsonLdFacts['image'] {
  if (typeof v === 'string') return str(v) ? { url: v.trim(), caption: null, credit: null } : null;
  if (!isNode(v)) return null;
  const url = str(v.url) ?? str(v.contentUrl);
  if (!url) return null;
  const credit = str(v.creditText) ?? [v.copyrightHolder, v.author, v.creator].flatMap(list).map(deref).map(nameOf).find((n) => n !== null) ?? null;
  return { url, caption: str(v.caption) ?? str(v.description), credit };
}

// Sites ship JSON-LD with raw newlines inside strings, trailing commas and HTML comment wrappers.
function parseLoosely(text: string): unknown {
  const body = text.replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[)/, '').replace(/(?:-->|\/\/\s*\]\]>)\s*$/, '').trim();
  if (!body) return undefined;
  for (const attempt of [body, body.replace(/[\u0000-\u001F]+/g, ' ').replace(/,\s*([}\]])/g, '$1')]) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // try the repaired text next
    }
  }
  return undefined;
}

function collect(value: unknown, out: Node[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  if ('@type' in value || '@id' in value) out.push(value);
  for (const [key, v] of Object.entries(value)) if (key !== '@context' && typeof v === 'object') collect(v, out, depth + 1);
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function types(n: Node): string[] {
  return list(n['@type']).filter((t): t is string => typeof t === 'string');
}
function list(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}
function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.replace(/\s+/g, ' ').trim() : null;
}
// A name given as a string, a node's `name` (itself maybe an array), or a Person's given and family names.
function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return str(v);
  if (!isNode(v)) return null;
  const name = list(v.name).map(str).find((n) => n !== null);
  if (name) return name;
  const parts = [v.givenName, v.familyName].map(str).filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' ') : null;
}
function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return null;
}
