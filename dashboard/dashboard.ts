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

export interface DashboardDeps {
  host: string;
  port: number;
  queues: Queues;
  redis: Redis;
  metrics: Metrics;
  feedState: FeedStateStore;
  log: Logger;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** Bull Board at /queues, plus /health, /metrics (Prometheus text) and /api/feeds. */
export async function startDashboard(deps: DashboardDeps): Promise<Dashboard> {
  const app = express();
  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });
  app.use('/queues', board.getRouter());
  app.get('/', (_req, res) => res.redirect('/queues'));
  app.get('/health', async (_req, res) => {
    const ok = await deps.redis.ping().then(() => true, () => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'redis unreachable', redis: ok });
  });
  app.get('/metrics', async (_req, res) => {
    const counts = await allQueueCounts(deps.queues);
    const lines = Object.entries(counts).flatMap(([queue, c]) =>
      Object.entries(c).map(([state, n]) => `newsloom_queue_jobs{queue="${queue}",state="${state}"} ${n}`));
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n${deps.metrics.render()}`);
  });
  app.get('/api/feeds', async (_req, res) => res.json(await deps.feedState.list()));
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
