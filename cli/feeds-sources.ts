import { httpOptions } from '../adapters/http/http-options.js';
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, YAMLSeq, type Document, type YAMLMap } from 'yaml';
import { discover, type DiscoveredFeed } from '../adapters/http/discover.js';
import type { Config } from '../config/schema.js';
import { NewsloomError } from '../lib/errors.js';
import { parseOpml, writeOpml, type OpmlFeedInput } from '../stages/feeds/opml.js';
import { decodeText } from '../stages/fetch/decode-text.js';

export interface ImportSummary {
  added: number;
  /** Feeds already in the config that gained tags from the file. */
  tagged: number;
  unchanged: number;
  /** One line per outline that could not be imported, `FILE:LINE: skipped …`, for stderr. */
  skipped: string[];
  /** The one-line summary, for stdout. */
  message: string;
}

/**
 * `feeds import FILE.opml`: adds the file's feeds to the config document in place, with their titles
 * as names and folders/categories as tags. A feed already listed keeps its entry and gains the
 * missing tags. The caller validates and writes the document.
 */
export function importOpml(path: string, doc: Document): ImportSummary {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new NewsloomError(`feeds import: cannot read ${path} (${(err as Error).message})`, 'NL_USAGE', false, { cause: err });
  }
  // decodeText honours a BOM and <?xml encoding=…?>: exports from old Windows readers are windows-1252.
  const opml = parseOpml(decodeText(bytes, null, 'xml'), path);
  const seq = feedsSeq(doc);
  const counts = { added: 0, tagged: 0, unchanged: 0 };
  for (const feed of opml.feeds) {
    const entry = seq.items.find((item): item is YAMLMap => isMap(item) && sameUrl(item.get('url'), feed.url));
    if (entry === undefined) {
      const node = doc.createNode({ url: feed.url, ...(feed.title ? { name: feed.title } : {}), ...(feed.tags.length ? { tags: feed.tags } : {}) });
      flowTags(node);
      seq.add(node);
      counts.added++;
    } else if (mergeTags(doc, entry, feed.tags)) counts.tagged++;
    else counts.unchanged++;
  }
  const skipped = opml.skipped.map((s) => `${path}:${s.line}: skipped ${s.reason}`);
  const message = `${path}: ${counts.added} added, ${counts.tagged} tagged, ${counts.unchanged} already present, ${skipped.length} skipped`;
  return { ...counts, skipped, message };
}

/** `feeds export`: the config's feeds as OPML 2.0, tags as folders and categories. */
export function exportOpml(config: { feeds: readonly OpmlFeedInput[] }): string {
  return writeOpml(config.feeds);
}

export interface ResolvedFeedUrl {
  url: string;
  /** Set when the URL given was not the feed itself: what was found, to print on stderr. */
  note: string | null;
}

/**
 * `feeds add URL`: the feed to subscribe to. A feed URL is kept as it is; a web page is replaced by
 * the feed it links or the feed at a common path. Throws NL_NO_FEED when there is none.
 */
export async function resolveFeedUrl(url: string, config: Pick<Config, 'fetch'>): Promise<ResolvedFeedUrl> {
  const { fetch } = config;
  // The larger cap: the URL given may be the feed itself or a page.
  const http = httpOptions(fetch, Math.max(fetch.maxFeedBytes, fetch.maxPageBytes));
  let found: DiscoveredFeed;
  try {
    found = await discover(url, http);
  } catch (err) {
    if (!(err instanceof NewsloomError)) throw err;
    throw new NewsloomError(`feeds add: ${err.message}\n(to add the URL unchecked, use --as-is)`, err.code, false, { cause: err });
  }
  if (found.via === 'direct') return { url: found.url, note: null };
  const title = found.title ? ` ("${found.title}")` : '';
  const how = found.via === 'common-path' ? 'names no feed; found one at' : 'is a web page; its feed is';
  const others = found.others.length > 0 ? `; it also links ${found.others.join(', ')}` : '';
  return { url: found.url, note: `${url} ${how} ${found.url}${title}${others}` };
}

/** The document's `feeds:` sequence, created when missing (as cli/feeds.ts does for add). */
function feedsSeq(doc: Document): YAMLSeq {
  const feeds = doc.get('feeds', true);
  // `feeds: []` would otherwise grow into one very long flow-style line.
  if (isSeq(feeds) && feeds.items.length === 0) feeds.flow = false;
  if (isSeq(feeds)) return feeds;
  const seq = new YAMLSeq();
  doc.set('feeds', seq);
  return seq;
}

/** Adds the tags an entry lacks (compared without case); whether any were added. */
function mergeTags(doc: Document, entry: YAMLMap, tags: readonly string[]): boolean {
  const current = entry.get('tags', true);
  const have = isSeq(current) ? current.items.map((t) => String(isScalar(t) ? t.value : t)) : [];
  const missing = tags.filter((t) => !have.some((h) => h.toLowerCase() === t.toLowerCase()));
  if (missing.length === 0) return false;
  if (isSeq(current)) for (const t of missing) current.add(doc.createNode(t));
  else {
    entry.set('tags', doc.createNode(missing));
    flowTags(entry);
  }
  return true;
}

/** `tags: [tech, news]` on one line reads better in a hand-edited file than a block list. */
function flowTags(node: unknown): void {
  if (!isMap(node)) return;
  const tags = node.get('tags', true);
  if (isSeq(tags)) tags.flow = true;
}

function sameUrl(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
