import { openStorage } from '../adapters/storage/open-storage.js';
import { redisFeedStateStore } from '../adapters/redis/feed-state-store.js';
import { loadConfig } from '../config/load.js';
import { startDashboard } from '../dashboard/dashboard.js';
import { cliLogger } from '../cli/common.js';
import { Metrics } from '../lib/metrics.js';
import { createRedis } from '../queues/connection.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import type { PipelineResult } from './pipeline-run.js';

/**
 * Starts newsloom's own dashboard (status page at /, Bull Board at /queues, the JSON APIs) on the
 * pipeline run's Redis and database, so its pages can be opened in Chromium with the hostile titles,
 * URLs and failure reasons that run stored. Returns the page URLs and a stop function.
 */
export async function startRunDashboard(r: PipelineResult): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const { config } = loadConfig(r.configPath, {});
  const redis = createRedis(r.redisUrl, 'security-dashboard');
  const queues = createQueues(redis, config);
  const dashboard = await startDashboard({
    host: '127.0.0.1', port: 0, queues, redis, metrics: new Metrics({ defaults: false }), feedState: redisFeedStateStore(redis, config.redis.prefix),
    log: cliLogger('error'), storage: () => openStorage(config.storage),
  });
  const base = dashboard.url.replace(/\/$/, '');
  return {
    urls: [`${base}/`, `${base}/queues`, `${base}/queues/queue/fetch?status=failed`, `${base}/queues/queue/fetch?status=completed`, `${base}/api/articles?limit=200`, `${base}/api/feeds`],
    stop: async () => {
      await dashboard.close();
      await closeQueues(queues);
      redis.disconnect();
    },
  };
}
