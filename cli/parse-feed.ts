import { existsSync, readFileSync } from 'node:fs';
import { httpGet } from '../adapters/http/http-get.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { describeError } from '../lib/errors.js';
import { parseFeedDocument } from '../stages/feeds/parse-feed-document.js';
import { optionalCliConfig, parseCommand } from './common.js';

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
  const { fetch } = optionalCliConfig(configFlag);
  const res = await httpGet(input, { ...httpOptions(fetch, fetch.maxFeedBytes), accept: FEED_ACCEPT });
  if (res.status < 200 || res.status >= 300) throw new Error(`GET ${res.url} answered ${res.status}`);
  return { bytes: res.body, contentType: res.headers['content-type'] ?? null, url: res.url };
}


