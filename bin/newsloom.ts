import { NewsloomError } from '../lib/errors.js';
import { runExport } from '../cli/export.js';
import { runExtract } from '../cli/extract.js';
import { runFeeds } from '../cli/feeds.js';
import { runMigrate } from '../cli/migrate.js';
import { runParseFeed } from '../cli/parse-feed.js';
import { runReplay } from '../cli/replay.js';
import { runReprocess } from '../cli/reprocess.js';
import { runSearch } from '../cli/search.js';
import { runStart } from '../cli/start.js';
import { runStatus } from '../cli/status.js';
import { runWorker } from '../cli/worker.js';

const USAGE = `usage: newsloom <command> [--config FILE]

commands:
  start [--once]                  scheduler, every stage worker and the dashboard
  worker --stages fetch,extract [--metrics-port 9464]
                                  only some stages (scale out across processes and machines)
  extract <file|url>... [--url URL] [--jsonl]
                                  extract -> normalise -> enrich in-process, no Redis; prints article JSON
  export [--jsonl|--json] [--stories]
                                  every stored article as JSON lines (or one JSON array), or one line per story
  feeds list | add URL|PAGE [--name N] [--interval 15m] [--tag T]... [--as-is] | remove URL
        | import FILE.opml | export
                                  edit the feeds of the config file, keeping its comments
  search "words" [--since 2d|DATE] [--limit 20] [--json]
                                  full-text search over stored titles and texts, best match first
  status                          jobs per queue and the last poll of each feed
  migrate                         bring the database (storage.sqlite or storage.postgres) to the current schema; prints its version
  reprocess [--stage NAME] [--since DATE|2d] [--feed URL] [--batch N]
                                  enrich stored articles again (only stale ones of stage NAME) through running workers
  replay --since DATE|2d [--to stream | --to webhook NAME]
                                  send stored events again, with their ids, to the events stream and/or webhooks
  parse-feed <file|url> [--content-type T] [--url BASE]
                                  parse one feed (RSS, Atom, JSON Feed); prints { format, feed, items } as JSON`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  start: runStart,
  worker: runWorker,
  extract: runExtract,
  export: runExport,
  feeds: runFeeds,
  'parse-feed': runParseFeed,
  status: runStatus,
  reprocess: runReprocess,
  replay: runReplay,
  migrate: runMigrate,
  search: runSearch,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`newsloom: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Expected faults (bad config, no Redis, bad arguments) print one readable line, no stack.
    if (err instanceof NewsloomError && !err.retryable) process.stderr.write(`newsloom: ${err.message}\n`);
    else process.stderr.write(`newsloom: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
