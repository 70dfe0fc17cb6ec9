import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config } from '../config/schema.js';
import { faultLog, type FaultLog } from '../lib/fault-log.js';
import { describeError, isRetryable, NewsloomError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { eventEnvelope } from '../adapters/webhooks/event-envelope.js';
import { postEvent } from '../adapters/webhooks/post-event.js';
import { redisWebhookCursor } from '../adapters/webhooks/webhook-cursor.js';
import { hashTagPrefix } from '../queues/connection.js';
import { triggerWebhooks, WEBHOOK_BACKOFF, WEBHOOK_QUEUE, webhookPayload } from '../queues/webhook-queue.js';
import type { WorkerContext } from './context.js';

type WebhookConfig = Config['events']['webhooks'][number];

const BATCH = 100;
// A seq missing before a later one is a transaction still committing (PostgreSQL hands out seqs
// before commit) or one rolled back (its seq is never used). Wait this long, from when the gap was
// first seen, before taking it for the latter; a commit takes milliseconds.
const GAP_WAIT_MS = 30_000;

export interface WebhookDrain {
  delivered: number;
  /** Events left out by the webhook's `types`. */
  skipped: number;
}

/**
 * Delivers every event after the webhook's cursor, in outbox order, one at a time: the cursor
 * moves past an event only once the receiver answered 2xx, so a receiver that is down gets every
 * event once it is back, in the order they were stored (an article's create before its update).
 * A failing receiver holds up only its own webhook. Throws the delivery's error (retryable or not).
 */
export async function drainWebhook(ctx: WorkerContext, hook: WebhookConfig, log: Logger, gapWaitMs = GAP_WAIT_MS): Promise<WebhookDrain> {
  const storage = await ctx.storage();
  const cursor = redisWebhookCursor(ctx.redis, ctx.config.redis.prefix, hook.name);
  let at = await cursor.get();
  if (at === null) {
    await cursor.init(await storage.lastEventSeq());
    at = (await cursor.get()) ?? 0;
  }
  // fetch.* gives the user agent, per-hop timeouts and allowPrivateNetworks; the webhook its own deadline.
  const client = httpOptions(ctx.config.fetch, 0);
  const target = { name: hook.name, url: hook.url, secret: hook.secret, timeoutMs: hook.timeout };
  const result: WebhookDrain = { delivered: 0, skipped: 0 };
  for (;;) {
    const events = await storage.eventsAfter(at, BATCH);
    if (events.length === 0) return result;
    for (const event of events) {
      if (event.seq !== at + 1) {
        const since = await cursor.gapSeenAt(at + 1, Date.now());
        if (Date.now() - since < gapWaitMs) {
          throw new NewsloomError(`webhook ${hook.name}: event ${at + 1} is not committed yet (event ${event.seq} is); waiting for it`, 'NL_WEBHOOK_GAP', true);
        }
        log.warn({ webhook: hook.name, from: at + 1, to: event.seq - 1 }, 'webhook skips events never committed');
      }
      const wanted = hook.types === undefined || hook.types.includes(event.type);
      if (wanted) {
        await postEvent(target, eventEnvelope(event), client);
        ctx.metrics.observe('newsloom_webhook_delivery_lag_seconds', { webhook: hook.name }, Date.now() - Date.parse(event.at));
        ctx.metrics.inc('newsloom_webhook_deliveries_total', { webhook: hook.name });
      }
      // Another run moved the cursor (a stalled job run twice): it goes on from there, not us.
      if (!(await cursor.advance(at, event.seq))) return result;
      at = event.seq;
      if (wanted) result.delivered++;
      else result.skipped++;
    }
  }
}

/**
 * The worker of the webhook queue, where the stages' workers come from workers/define.ts: it
 * validates the payload, maps errors the same way (retryable rethrown, permanent as
 * UnrecoverableError "CODE: message"), and backs off by doubling up to events.delivery.maxBackoff.
 * Starts each webhook's cursor at the newest event if it has none, then drains every webhook once.
 */
/** `faults`: the process's log of Redis client faults (lib/fault-log.ts), shared with the stage workers. */
export async function startWebhookWorker(ctx: WorkerContext, faults: FaultLog = faultLog(ctx.log)): Promise<Worker | null> {
  const { config } = ctx;
  const hooks = new Map(config.events.webhooks.map((h) => [h.name, h]));
  if (hooks.size === 0) return null;
  const storage = await ctx.storage();
  const last = await storage.lastEventSeq();
  for (const name of hooks.keys()) await redisWebhookCursor(ctx.redis, config.redis.prefix, name).init(last);
  const { backoff, maxBackoff } = config.events.delivery;
  const processor = async (job: Job): Promise<unknown> => {
    const parsed = webhookPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`NL_PAYLOAD: ${WEBHOOK_QUEUE} job ${job.id} has invalid data: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const hook = hooks.get(parsed.data.webhook);
    const log = ctx.log.child({ stage: WEBHOOK_QUEUE, jobId: job.id, webhook: parsed.data.webhook });
    if (hook === undefined) return { skipped: 'not configured' };
    try {
      const done = await drainWebhook(ctx, hook, log);
      if (done.delivered > 0) log.info({ ...done, url: hook.url }, 'webhook events delivered');
      return done;
    } catch (err) {
      const permanent = !isRetryable(err);
      ctx.metrics.inc('newsloom_webhook_failures_total', { webhook: hook.name });
      // A refused address or URL needs the config changed: a human must act.
      if (permanent) log.error({ err: describeError(err), url: hook.url }, 'webhook delivery refused');
      else log.warn({ err: describeError(err), url: hook.url, attempt: job.attemptsMade + 1 }, 'webhook delivery failed; will retry');
      if (permanent) throw new UnrecoverableError(describeError(err));
      throw err;
    }
  };
  const worker = new Worker(WEBHOOK_QUEUE, processor, {
    connection: ctx.redis,
    prefix: hashTagPrefix(config.redis.prefix),
    // One job per webhook runs at a time (deduplicated); different webhooks never wait on each other.
    concurrency: hooks.size,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) =>
        type === WEBHOOK_BACKOFF ? Math.min(backoff * 2 ** Math.max(0, attemptsMade - 1), maxBackoff) : backoff,
    },
  });
  worker.on('error', (err) => faults.fault(err, { stage: WEBHOOK_QUEUE }));
  await triggerWebhooks(ctx.redis, config);
  return worker;
}
