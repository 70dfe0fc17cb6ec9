import { existsSync, readFileSync } from 'node:fs';
import { httpGet } from '../adapters/http/http-get.js';
import { configPathFrom, parseConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../lib/errors.js';
import { parseFeedDocument } from '../stages/feeds/parse-feed-document.js';
import { loadCliConfig, parseCommand } from './common.js';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * `newsloom parse-feed FILE|URL [--content-type T] [--url BASE]`: prints the parsed feed
 * ({ format, feed, items }) as JSON; a document that is no feed prints one readable line, exit 1.
 */
export async function runParseFeed(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { 'content-type': { type: 'string' }, url: { type: 'string' } }, 'parse-feed');
  if (positionals.length !== 1) {
    process.stderr.write('newsloom parse-feed: give one feed file or URL\n');
    return 2;
  }
  const input = positionals[0]!;
  const contentTypeFlag = typeof values['content-type'] === 'string' ? values['content-type'] : undefined;
  const baseFlag = typeof values.url === 'string' ? values.url : undefined;
  try {
    const { bytes, contentType, url } = await readInput(input, values.config);
    const doc = parseFeedDocument(bytes, { contentType: contentTypeFlag ?? contentType, url: baseFlag ?? url });
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`newsloom parse-feed: ${describeError(err)}\n`);
    return 1;
  }
}

async function readInput(input: string, configFlag: unknown): Promise<{ bytes: Buffer; contentType: string | null; url: string | null }> {
  if (!/^https?:\/\//i.test(input)) {
    if (!existsSync(input)) throw new Error(`read ${input}: no such file`);
    return { bytes: readFileSync(input), contentType: null, url: null };
  }
  const { fetch } = cliConfig(configFlag);
  const res = await httpGet(input, {
    userAgent: fetch.userAgent, timeoutMs: fetch.timeout, connectTimeoutMs: fetch.connectTimeout,
    firstByteTimeoutMs: fetch.firstByteTimeout, maxBytes: fetch.maxFeedBytes,
    maxRedirects: fetch.maxRedirects, allowPrivateNetworks: fetch.allowPrivateNetworks, accept: FEED_ACCEPT,
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`GET ${res.url} answered ${res.status}`);
  return { bytes: res.body, contentType: res.headers['content-type'] ?? null, url: res.url };
}

/** parse-feed needs no config file: it uses the file when there is one, defaults otherwise. */
function cliConfig(flag: unknown): Readonly<Config> {
  const path = configPathFrom(typeof flag === 'string' ? flag : undefined);
  if (typeof flag !== 'string' && !existsSync(path)) return parseConfig({}, '(defaults)');
  return loadCliConfig(flag).config;
}
