import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { configPathFrom, parseConfig } from '../config/load.js';
import { NewsloomError } from '../lib/errors.js';
import { parseCommand } from './common.js';

/** `newsloom feeds list | add URL [--name N] [--interval 15m] | remove URL`: edits the config, keeping comments. */
export async function runFeeds(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { name: { type: 'string' }, interval: { type: 'string' } }, 'feeds');
  const [action, url] = positionals;
  const path = configPathFrom(typeof values.config === 'string' ? values.config : undefined);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const config = parseConfig(doc.toJS() ?? {}, path);
  if (action === 'list' || action === undefined) {
    for (const f of config.feeds) process.stdout.write(`${f.url}${f.name ? `\t${f.name}` : ''}\n`);
    return 0;
  }
  if (!url) throw new NewsloomError(`feeds ${action}: give the feed URL`, 'NL_USAGE', false);
  let feeds = doc.get('feeds', true);
  if (!isSeq(feeds)) {
    feeds = new YAMLSeq();
    doc.set('feeds', feeds);
  }
  const seq = feeds as YAMLSeq;
  const index = seq.items.findIndex((item) => isMap(item) && item.get('url') === url);
  if (action === 'add') {
    if (index >= 0) {
      process.stderr.write(`${url} is already in ${path}\n`);
      return 0;
    }
    const entry: Record<string, string> = { url };
    if (typeof values.name === 'string') entry.name = values.name;
    if (typeof values.interval === 'string') entry.interval = values.interval;
    seq.add(doc.createNode(entry));
  } else if (action === 'remove') {
    if (index < 0) throw new NewsloomError(`feeds remove: ${url} is not in ${path}`, 'NL_USAGE', false);
    seq.delete(index);
  } else {
    throw new NewsloomError(`feeds: unknown action "${action}"; expected list, add or remove`, 'NL_USAGE', false);
  }
  // Validate before writing: a bad URL or interval never reaches the file.
  parseConfig(doc.toJS() ?? {}, path);
  writeFileSync(path, doc.toString());
  process.stdout.write(`${action === 'add' ? 'added' : 'removed'} ${url}; restart newsloom for the schedule to follow\n`);
  return 0;
}
