import { openStorage } from '../adapters/storage/open-storage.js';
import { loadCliConfig, parseCommand } from './common.js';

/**
 * `newsloom export [--jsonl|--json] [--stories]`: every stored article, JSON lines by default;
 * with --stories one line per story with its articles' ids, URLs and sites.
 */
export async function runExport(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { jsonl: { type: 'boolean' }, json: { type: 'boolean' }, stories: { type: 'boolean' } }, 'export');
  const { config } = loadCliConfig(values.config);
  const storage = await openStorage(config.storage);
  try {
    const out = process.stdout;
    if (values.stories) {
      for await (const story of storage.stories()) {
        if (!out.write(`${JSON.stringify(story)}\n`)) await new Promise((r) => out.once('drain', r));
      }
      return 0;
    }
    let first = true;
    if (values.json) out.write('[');
    for await (const article of storage.articles()) {
      const line = JSON.stringify(article);
      if (values.json) out.write(`${first ? '' : ','}\n${line}`);
      else if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
      first = false;
    }
    if (values.json) out.write(']\n');
  } finally {
    await storage.close();
  }
  return 0;
}
