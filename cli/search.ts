import { openStorage } from '../adapters/storage/open-storage.js';
import { NewsloomError } from '../lib/errors.js';
import { loadCliConfig, parseCommand, parseSince } from './common.js';

/**
 * `newsloom search "text" [--since 2d|DATE] [--limit 20] [--json]`: full-text search over stored
 * titles and texts, best match first. One line per article (date, site, title, URL), or with
 * --json one article per line as the article contract defines it.
 */
export async function runSearch(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, 'search');
  const query = positionals.join(' ').trim();
  if (query === '') {
    process.stderr.write('newsloom search: give the words to search for, e.g. newsloom search "city council budget"\n');
    return 2;
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new NewsloomError(`search --limit: expected a whole number from 1 to 1000, got ${JSON.stringify(values.limit)}`, 'NL_USAGE', false);
  const since = typeof values.since === 'string' ? parseSince(values.since, 'search') : undefined;
  const { config } = loadCliConfig(values.config);
  const storage = await openStorage(config.storage);
  try {
    const hits = await storage.search(query, { limit, ...(since ? { since } : {}) });
    for (const a of hits) {
      if (values.json) process.stdout.write(`${JSON.stringify(a)}\n`);
      else process.stdout.write(`${(a.publishedAt ?? a.fetchedAt).slice(0, 10)}  ${a.siteName ?? new URL(a.canonicalUrl).hostname}  ${a.title}  ${a.canonicalUrl}\n`);
    }
    if (!values.json) process.stderr.write(`${hits.length} article${hits.length === 1 ? '' : 's'}\n`);
  } finally {
    await storage.close();
  }
  return 0;
}
