import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import type { FeedStateStore } from '../adapters/redis/feed-state-store.js';
import type { Queues } from '../queues/queues.js';
import { allQueueCounts } from '../queues/queue-counts.js';
import type { Redis } from 'ioredis';
import type { Storage } from '../adapters/storage/storage.js';
import { articlesApi } from './articles-api.js';
import { dashboardAuth } from './auth.js';
import { openApiDocument } from './openapi.js';
import { statsApi } from './stats-api.js';
import { storiesApi } from './stories-api.js';
import { statusPage } from './status-page.js';

export interface DashboardDeps {
  host: string;
  port: number;
  queues: Queues;
  redis: Redis;
  metrics: Metrics;
  feedState: FeedStateStore;
  log: Logger;
  /** Where articles are read from (/api/articles, /readyz); without it those answer 503. */
  storage?: () => Promise<Storage>;
  /** `api.token`: when set, every route but /healthz, /readyz and /health asks for it (auth.ts). */
  apiToken?: string;
  /** This process's stage workers, for /readyz: ready only while every one is running. */
  workers?: () => ReadonlyArray<{ name: string; isRunning(): boolean }>;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/**
 * The status page at /, Bull Board at /queues, plus /health, /healthz, /readyz, /metrics (Prometheus text), /api/feeds,
 * /api/articles, /api/stories, /api/stats and /api/openapi.json; all but the probes behind api.token when set.
 */
export async function startDashboard(deps: DashboardDeps): Promise<Dashboard> {
  const app = express();
  app.use(dashboardAuth(deps.apiToken));
  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  app.use('/queues', board.getRouter());
  app.use(statusPage({ queues: deps.queues, redis: deps.redis, feedState: deps.feedState, log: deps.log, ...(deps.storage ? { storage: deps.storage } : {}) }));
  app.get('/health', async (_req, res) => {
    const ok = await deps.redis.ping().then(() => true, () => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'redis unreachable', redis: ok });
  });
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(deps);
    const ok = Object.values(checks).every((c) => c === 'ok' || c === NO_WORKERS);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', ...checks });
  });
  // prom-client's registry: this process's counters, Node's own metrics, and the queue gauge read at scrape.
  deps.metrics.watchQueues(() => allQueueCounts(deps.queues));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.contentType).send(await deps.metrics.render());
  });
  app.get('/api/feeds', async (_req, res) => res.json(await deps.feedState.list()));
  app.get('/api/openapi.json', (_req, res) => res.json(openApiDocument));
  const storage = deps.storage;
  if (storage) app.use(articlesApi(storage), storiesApi(storage), statsApi(storage));
  else app.use(['/api/articles', '/api/stories', '/api/stats'], (_req, res) => res.status(503).json({ error: 'storage: not available to this dashboard' }));
  // The API answers JSON even when something failed underneath.
  app.use('/api', (err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    deps.log.warn({ err, path: req.originalUrl }, 'API request failed');
    res.status(500).json({ error: `${req.method} ${req.originalUrl}: ${err instanceof Error ? err.message : String(err)}` });
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(deps.port, deps.host, () => resolve(s));
    s.once('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : deps.port;
  const url = `http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}:${port}`;
  deps.log.info({ url: `${url}/queues` }, 'dashboard listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Each dependency's state: 'ok', or what went wrong reaching it. */
async function readiness(deps: DashboardDeps): Promise<{ redis: string; storage: string; workers: string }> {
  const reason = (err: unknown) => `unreachable: ${err instanceof Error ? err.message : String(err)}`;
  const redis = withTimeout(deps.redis.ping(), READY_TIMEOUT_MS, 'redis PING').then(() => 'ok', reason);
  // A primary-key lookup: reaches the database without scanning anything.
  const storage = deps.storage
    ? withTimeout(deps.storage().then((s) => s.getArticle('readyz-probe')), READY_TIMEOUT_MS, 'storage read').then(() => 'ok', reason)
    : Promise.resolve('not configured');
  const stopped = deps.workers?.().filter((w) => !w.isRunning()).map((w) => w.name) ?? [];
  const workers = deps.workers === undefined ? NO_WORKERS : stopped.length > 0 ? `not running: ${stopped.join(', ')}` : 'ok';
  return { redis: await redis, storage: await storage, workers };
}

const READY_TIMEOUT_MS = 2000;
/** A dashboard started without workers (tests, a dashboard-only process) is not unready for that. */
const NO_WORKERS = 'none in this process';

/** A client that queues commands while reconnecting would never answer: give up after `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
