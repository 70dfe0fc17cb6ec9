import { httpOptions } from '../adapters/http/http-options.js';
import { redisAnswers } from '../adapters/redis/spawn-redis.js';
import { redisEventStream } from '../adapters/redis/event-stream.js';
import { openStorage } from '../adapters/storage/open-storage.js';
import { eventEnvelope } from '../adapters/webhooks/event-envelope.js';
import { postEvent } from '../adapters/webhooks/post-event.js';
import type { Config } from '../config/schema.js';
import { describeError, NewsloomError } from '../lib/errors.js';
import { createRedis } from '../queues/connection.js';
import { loadCliConfig, parseCommand, parseSince } from './common.js';

const PAGE = 500;

/**
 * `newsloom replay --since DATE|2d [--to stream | --to webhook NAME]`: sends the events stored
 * since DATE again, oldest first, with their original ids (receivers dedupe on them), to the
 * events stream, one webhook, or (no --to) the stream and every webhook. Webhook cursors are left
 * alone. Stops at the first delivery that fails, naming the event, and exits 1.
 */
export async function runReplay(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { since: { type: 'string' }, to: { type: 'string' } }, 'replay');
  if (typeof values.since !== 'string') throw new NewsloomError('replay: give --since DATE (e.g. 2026-11-01) or a duration back from now (e.g. 2d)', 'NL_USAGE', false);
  const since = parseSince(values.since, 'replay');
  const { config } = loadCliConfig(values.config);
  const { stream, webhooks } = targets(config, values.to, positionals);

  const storage = await openStorage(config.storage);
  const redis = stream ? await connectRedis(config) : null;
  const events = redis ? redisEventStream(redis, config.redis.prefix, config.events.maxLen) : null;
  const client = httpOptions(config.fetch, 0);
  const sent = new Map<string, number>([...(stream ? ['stream'] : []), ...webhooks.map((h) => `webhook ${h.name}`)].map((t) => [t, 0]));
  let failed: string | null = null;
  try {
    let after = 0;
    outer: for (;;) {
      const page = await storage.eventsAfter(after, PAGE, { since });
      if (page.length === 0) break;
      for (const event of page) {
        const envelope = eventEnvelope(event);
        if (events) {
          await events.publish(envelope);
          sent.set('stream', sent.get('stream')! + 1);
        }
        for (const h of webhooks) {
          if (h.types !== undefined && !h.types.includes(event.type)) continue;
          try {
            await postEvent({ name: h.name, url: h.url, secret: h.secret, timeoutMs: h.timeout }, envelope, client);
          } catch (err) {
            failed = `webhook ${h.name}: event ${envelope.id} (${envelope.type}, ${event.at}): ${describeError(err)}`;
            break outer;
          }
          sent.set(`webhook ${h.name}`, sent.get(`webhook ${h.name}`)! + 1);
        }
        after = event.seq;
      }
    }
  } finally {
    await storage.close();
    await redis?.quit().catch(() => redis.disconnect());
  }
  const summary = [...sent].map(([t, n]) => `${n} event${n === 1 ? '' : 's'} to ${t}`).join(', ');
  process.stderr.write(`replayed events stored since ${since}: ${summary}\n`);
  if (failed !== null) {
    process.stderr.write(`newsloom replay: stopped at ${failed}\n`);
    return 1;
  }
  return 0;
}

type Webhook = Config['events']['webhooks'][number];

/** Where to: `--to stream`, `--to webhook NAME`, or by default the stream and every webhook. */
function targets(config: Readonly<Config>, to: unknown, positionals: string[]): { stream: boolean; webhooks: Webhook[] } {
  const names = config.events.webhooks.map((h) => h.name);
  if (to === undefined) {
    if (positionals.length > 0) throw new NewsloomError(`replay: unexpected argument ${JSON.stringify(positionals[0])}`, 'NL_USAGE', false);
    return { stream: true, webhooks: [...config.events.webhooks] };
  }
  if (to === 'stream' && positionals.length === 0) return { stream: true, webhooks: [] };
  if (to === 'webhook' && positionals.length === 1) {
    const hook = config.events.webhooks.find((h) => h.name === positionals[0]);
    if (hook) return { stream: false, webhooks: [hook] };
    throw new NewsloomError(`replay --to webhook: no webhook named ${JSON.stringify(positionals[0])} in events.webhooks (${names.length ? names.join(', ') : 'none configured'})`, 'NL_USAGE', false);
  }
  throw new NewsloomError(`replay --to: expected "stream" or "webhook NAME", got ${JSON.stringify([to, ...positionals].join(' '))}`, 'NL_USAGE', false);
}

async function connectRedis(config: Readonly<Config>) {
  const url = config.redis.url ?? 'redis://127.0.0.1:6379';
  if (!config.redis.url && !(await redisAnswers('127.0.0.1', 6379))) {
    throw new NewsloomError('replay: no Redis answers on 127.0.0.1:6379 and redis.url is not set; is newsloom running?', 'NL_NO_REDIS', false);
  }
  const redis = createRedis(url, 'newsloom-replay');
  redis.on('error', () => {});
  await redis.ping();
  return redis;
}
