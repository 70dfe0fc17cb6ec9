import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { configPathFrom, loadConfig, parseConfig } from '../config/load.js';
import { NewsloomError } from '../lib/errors.js';
import { parseCommand } from './common.js';
import { exportOpml, importOpml, resolveFeedUrl } from './feeds-sources.js';

/**
 * `newsloom feeds list | add URL [--name N] [--interval 15m] [--tag T]... [--as-is] | remove URL |
 * import FILE.opml | export`: edits the config, keeping comments.
 */
export async function runFeeds(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { name: { type: 'string' }, interval: { type: 'string' }, tag: { type: 'string', multiple: true }, 'as-is': { type: 'boolean' } },
    'feeds',
  );
  const [action, arg] = positionals;
  const path = configPathFrom(typeof values.config === 'string' ? values.config : undefined);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const config = parseConfig(doc.toJS() ?? {}, path);
  if (action === 'list' || action === undefined) {
    for (const f of config.feeds) process.stdout.write(`${f.url}${f.name ? `\t${f.name}` : ''}\n`);
    return 0;
  }
  if (action === 'export') {
    process.stdout.write(exportOpml(config));
    return 0;
  }
  if (!arg) throw new NewsloomError(`feeds ${action}: give the ${action === 'import' ? 'OPML file' : 'feed URL'}`, 'NL_USAGE', false);
  if (action === 'import') {
    const summary = importOpml(arg, doc);
    for (const line of summary.skipped) process.stderr.write(`${line}\n`);
    parseConfig(doc.toJS() ?? {}, path);
    writeFileSync(path, doc.toString());
    process.stdout.write(`${summary.message}; restart newsloom for the schedule to follow\n`);
    return 0;
  }
  let url = arg;
  if (action === 'add' && values['as-is'] !== true) {
    // loadConfig, not the document: fetch settings follow env overrides (NEWSLOOM_ALLOW_PRIVATE_NETWORKS).
    const resolved = await resolveFeedUrl(arg, loadConfig(path).config);
    if (resolved.note !== null) process.stderr.write(`${resolved.note}\n`);
    url = resolved.url;
  }
  let feeds = doc.get('feeds', true);
  if (!isSeq(feeds)) {
    feeds = new YAMLSeq();
    doc.set('feeds', feeds);
  }
  const seq = feeds as YAMLSeq;
  // `feeds: []` would otherwise grow into one very long flow-style line.
  if (seq.items.length === 0) seq.flow = false;
  const index = seq.items.findIndex((item) => isMap(item) && item.get('url') === url);
  if (action === 'add') {
    if (index >= 0) {
      process.stderr.write(`${url} is already in ${path}\n`);
      return 0;
    }
    const entry: Record<string, string | string[]> = { url };
    if (typeof values.name === 'string') entry.name = values.name;
    if (typeof values.interval === 'string') entry.interval = values.interval;
    if (values.tag !== undefined && values.tag.length > 0) entry.tags = values.tag;
    const node = doc.createNode(entry);
    const tags = node.get('tags', true);
    if (isSeq(tags)) tags.flow = true;
    seq.add(node);
  } else if (action === 'remove') {
    if (index < 0) throw new NewsloomError(`feeds remove: ${url} is not in ${path}`, 'NL_USAGE', false);
    seq.delete(index);
  } else {
    throw new NewsloomError(`feeds: unknown action "${action}"; expected list, add, remove, import or export`, 'NL_USAGE', false);
  }
  // Validate before writing: a bad URL or interval never reaches the file.
  parseConfig(doc.toJS() ?? {}, path);
  writeFileSync(path, doc.toString());
  process.stdout.write(`${action === 'add' ? 'added' : 'removed'} ${url}; restart newsloom for the schedule to follow\n`);
  return 0;
}
