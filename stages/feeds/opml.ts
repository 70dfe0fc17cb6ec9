import { NewsloomError } from '../../lib/errors.js';
import { htmlEntities } from './html-entities.js';

/** One subscription of an OPML file. `tags` come from enclosing folder outlines, then `category`. */
export interface OpmlFeed {
  url: string;
  title: string | null;
  htmlUrl: string | null;
  tags: string[];
}

export interface OpmlDocument {
  title: string | null;
  feeds: OpmlFeed[];
  /** Outlines that looked like subscriptions but could not be used, with why; 1-based line numbers. */
  skipped: Array<{ line: number; reason: string }>;
}

interface Tag {
  kind: 'open' | 'close' | 'empty';
  name: string;
  /** Lower-cased names, first occurrence wins: old readers wrote xmlurl, xmlURL and duplicates. */
  attrs: Map<string, string>;
  at: number;
}

interface Frame {
  folder: string | null;
  feed: boolean;
}

const ATTRIBUTE = /\s*([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/y;
// Characters XML 1.0 §2.2 forbids, and unpaired surrogates: never written out.
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Parses OPML 1.0 or 2.0 subscription lists as readers really write them: nested folders, `category`,
 * `xmlUrl` in any letter case, HTML entities, bare `&`, unclosed outlines and unquoted attributes.
 * A tag scan, not an XML parser, so one broken element costs that element, not the whole file.
 */
export function parseOpml(text: string, source = 'OPML'): OpmlDocument {
  if (!/<(?:opml|outline)[\s>/]/i.test(text)) {
    throw new NewsloomError(`parse ${source}: not an OPML document (no <opml> or <outline> element)`, 'NL_OPML', false);
  }
  const feeds = new Map<string, OpmlFeed>();
  const skipped: OpmlDocument['skipped'] = [];
  const stack: Frame[] = [];
  const lineOf = lineCounter(text);
  for (const tag of scanTags(text)) {
    if (tag.name === 'body' || tag.name === 'opml') {
      // Whatever is still open when the body ends was never closed: a missing </outline> must not leak.
      if (tag.kind === 'close') stack.length = 0;
      continue;
    }
    if (tag.name !== 'outline') continue;
    if (tag.kind === 'close') {
      stack.pop();
      continue;
    }
    // Subscriptions have no children: an outline inside a feed outline means that one was never closed.
    if (stack.at(-1)?.feed) stack.pop();
    const outcome = readOutline(tag.attrs, stack);
    if (outcome.kind === 'feed') addFeed(feeds, outcome.feed);
    if (outcome.kind === 'skip') skipped.push({ line: lineOf(tag.at), reason: outcome.reason });
    if (tag.kind === 'open') stack.push({ folder: outcome.kind === 'folder' ? outcome.title : null, feed: outcome.kind === 'feed' });
  }
  return { title: headTitle(text), feeds: [...feeds.values()], skipped };
}

type Outline = { kind: 'feed'; feed: OpmlFeed } | { kind: 'folder'; title: string | null } | { kind: 'skip'; reason: string };

function readOutline(attrs: Map<string, string>, stack: Frame[]): Outline {
  const type = (attrs.get('type') ?? '').toLowerCase();
  const title = clean(attrs.get('title')) ?? clean(attrs.get('text'));
  // OPML 1.0 files from Radio UserLand era readers put a feed's address in `url` when type is rss.
  const raw = clean(attrs.get('xmlurl')) ?? (/^(rss|atom|feed)$/.test(type) ? clean(attrs.get('url')) : null);
  if (type === 'include') return { kind: 'skip', reason: `outline ${quote(title)}: OPML includes are not followed` };
  if (raw === null) return { kind: 'folder', title };
  const url = httpUrl(raw);
  if (url === null) return { kind: 'skip', reason: `outline ${quote(title)}: xmlUrl ${JSON.stringify(raw)} is not an http(s) URL` };
  const folders = stack.flatMap((f) => (f.folder === null ? [] : [f.folder]));
  const tags = uniqueTags([...folders, ...categoryTags(attrs.get('category'))]);
  const htmlUrl = httpUrl(clean(attrs.get('htmlurl')) ?? '');
  // Exporters without a title repeat the URL as the required `text`; that is no name.
  return { kind: 'feed', feed: { url, title: title === raw || title === url ? null : title, htmlUrl, tags } };
}

/** The same feed twice (one per folder, as Feedly exports) is one subscription with both folders' tags. */
function addFeed(feeds: Map<string, OpmlFeed>, feed: OpmlFeed): void {
  const known = feeds.get(feed.url);
  if (known === undefined) feeds.set(feed.url, feed);
  else known.tags = uniqueTags([...known.tags, ...feed.tags]);
}

/**
 * OPML 2.0 `category`: comma-separated, slash-delimited paths ("/Boston/Weather,/Harvard"). Each path
 * segment becomes a tag, as each enclosing folder does.
 */
function categoryTags(value: string | undefined): string[] {
  return (value ?? '').split(',').flatMap((path) => path.split('/')).flatMap((t) => clean(t) ?? []);
}

function uniqueTags(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()) !== undefined);
}

function httpUrl(raw: string): string | null {
  // feed:// and feed:https:// were a 2000s convention for "open in your reader".
  const candidate = raw.replace(/^feed:(?:\/\/)?(?=https?:)/i, '').replace(/^feed:\/\//i, 'http://');
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function headTitle(text: string): string | null {
  const body = text.search(/<body[\s>]/i);
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(body < 0 ? text : text.slice(0, body));
  if (!m) return null;
  return clean(decodeEntities(m[1]!.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, cdata: string) => cdata.replace(/&/g, '&amp;'))));
}

/** Every element tag in document order, skipping comments, CDATA, PIs and the DOCTYPE (its entities are never expanded). */
function* scanTags(text: string): Generator<Tag> {
  let i = 0;
  while ((i = text.indexOf('<', i)) >= 0) {
    const skipTo = (end: string) => {
      const at = text.indexOf(end, i);
      return at < 0 ? text.length : at + end.length;
    };
    if (text.startsWith('<!--', i)) i = skipTo('-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(']]>');
    else if (text.startsWith('<?', i)) i = skipTo('?>');
    else if (text.startsWith('<!', i)) i = skipDoctype(text, i);
    else {
      const m = /^<(\/?)\s*([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      if (!m) {
        i += 1;
        continue;
      }
      const at = i;
      const { attrs, end, selfClosing } = readAttributes(text, i + m[0].length);
      i = end;
      const name = m[2]!.toLowerCase().replace(/^[\w.-]+:/, '');
      yield { kind: m[1] ? 'close' : selfClosing ? 'empty' : 'open', name, attrs, at };
    }
  }
}

function readAttributes(text: string, from: number): { attrs: Map<string, string>; end: number; selfClosing: boolean } {
  const attrs = new Map<string, string>();
  let i = from;
  while (i < text.length) {
    if (text[i] === '>') return { attrs, end: i + 1, selfClosing: false };
    if (text.startsWith('/>', i)) return { attrs, end: i + 2, selfClosing: true };
    // A '<' here means the tag was never closed: end it, and let the scan read the next tag.
    if (text[i] === '<') return { attrs, end: i, selfClosing: false };
    ATTRIBUTE.lastIndex = i;
    const m = ATTRIBUTE.exec(text);
    if (m === null || m[0].length === 0) {
      i += 1;
      continue;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    // XML §3.3.3: literal whitespace in an attribute value reads as a space; &#10; stays a newline.
    if (!attrs.has(name)) attrs.set(name, decodeEntities(value.replace(/[\t\r\n]/g, ' ')));
    i = ATTRIBUTE.lastIndex;
  }
  return { attrs, end: text.length, selfClosing: false };
}

function skipDoctype(text: string, from: number): number {
  const gt = text.indexOf('>', from);
  const bracket = text.indexOf('[', from);
  if (bracket >= 0 && (gt < 0 || bracket < gt)) {
    const end = text.indexOf(']>', bracket);
    if (end >= 0) return end + 2;
  }
  return gt < 0 ? text.length : gt + 1;
}

/** XML's five entities, numeric references and HTML 4 names; anything else (a bare &) stays as written. */
function decodeEntities(value: string): string {
  return value.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    const code = ref.startsWith('#x') || ref.startsWith('#X') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? Number(ref.slice(1)) : htmlEntities.get(ref);
    return code !== undefined && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function clean(value: string | undefined | null): string | null {
  const t = (value ?? '').replace(ILLEGAL, '').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

function quote(title: string | null): string {
  return title === null ? '(untitled)' : JSON.stringify(title);
}

/** Line numbers for offsets asked in increasing order, counted once over the text (a file of bad outlines stays linear). */
function lineCounter(text: string): (at: number) => number {
  let line = 1;
  let from = 0;
  return (at) => {
    for (let i = text.indexOf('\n', from); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
    from = Math.max(from, at);
    return line;
  };
}

/** What `writeOpml` needs of a feed: config entries fit as they are. */
export interface OpmlFeedInput {
  url: string;
  name?: string | null;
  tags?: readonly string[];
}

/**
 * An OPML 2.0 subscription list: untagged feeds at the top, then one folder per first tag, the other
 * tags in `category`, which `parseOpml` reads back as the same tags in the same order. No dateCreated,
 * so exporting an unchanged config gives the same bytes.
 */
export function writeOpml(feeds: readonly OpmlFeedInput[], title = 'newsloom feeds'): string {
  const folders = new Map<string, string[]>();
  const top: string[] = [];
  for (const feed of feeds) {
    const [folder, ...rest] = feed.tags ?? [];
    const line = feedOutline(feed, rest);
    if (folder === undefined) top.push(`    ${line}`);
    else folders.set(folder, [...(folders.get(folder) ?? []), `      ${line}`]);
  }
  const body = [
    ...top,
    ...[...folders].flatMap(([folder, lines]) => [`    <outline text="${attr(folder)}" title="${attr(folder)}">`, ...lines, '    </outline>']),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${attr(title)}</title>`,
    '  </head>',
    '  <body>',
    ...body,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

function feedOutline(feed: OpmlFeedInput, categories: readonly string[]): string {
  // `text` is required by OPML 2.0; with no name, readers show the URL.
  const text = feed.name ?? feed.url;
  const category = categories.length > 0 ? ` category="${attr(categories.join(','))}"` : '';
  return `<outline type="rss" text="${attr(text)}" title="${attr(text)}" xmlUrl="${attr(feed.url)}"${category}/>`;
}

function attr(value: string): string {
  return value
    .replace(ILLEGAL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
