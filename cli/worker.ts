import { createServer, type Server } from 'node:http';
import { resolveRedis } from '../adapters/redis/resolve-redis.js';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { NewsloomError } from '../lib/errors.js';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../queues/names.js';
import { allQueueCounts } from '../queues/queue-counts.js';
import { startPipeline } from '../workers/run.js';
import { cliLogger, loadCliConfig, parseCommand, untilSignal } from './common.js';

/** `newsloom worker --stages fetch,extract [--metrics-port 9464]`: only some stages, for scaling out. */
export async function runWorker(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { stages: { type: 'string' }, 'metrics-port': { type: 'string' } }, 'worker');
  const stages = parseStages(values.stages);
  const metricsPort = parsePort(values['metrics-port']);
  const { config, path: configPath } = loadCliConfig(values.config);
  const log = cliLogger(config.log.level, config.log.format);
  // Listening from the start: a SIGTERM during start-up shuts down cleanly once the workers are up.
  const signalled = untilSignal(log);
  const redis = await resolveRedis(config.redis.url, log);
  const pipeline = await startPipeline({ config, redisUrl: redis.url, log, stages, schedule: false, configPath });
  if (metricsPort !== null) pipeline.ctx.metrics.watchQueues(() => allQueueCounts(pipeline.ctx.queues));
  const metrics = metricsPort === null ? null : await serveMetrics(pipeline.ctx.metrics, config.dashboard.host, metricsPort, log);
  const signal = await signalled;
  log.info({ signal, graceMs: config.shutdown.grace }, 'shutting down: finishing active jobs (send the signal again to exit now)');
  metrics?.close();
  const { cutOff } = await pipeline.shutdown(config.shutdown.grace);
  await redis.stop?.();
  // A cut-off job's handler may still hold sockets and timers: leave now; its job is retried elsewhere.
  if (cutOff) process.exit(0);
  return 0;
}

function parsePort(value: unknown): number | null {
  if (value === undefined) return null;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) {
    throw new NewsloomError(`worker --metrics-port: expected a port from 0 to 65535, got ${JSON.stringify(value)}`, 'NL_USAGE', false);
  }
  return port;
}

/** A worker's own /metrics (and /healthz): its counters live in this process only. */
async function serveMetrics(metrics: Metrics, host: string, port: number, log: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const addr = server.address();
  log.info({ url: `http://${host}:${typeof addr === 'object' && addr ? addr.port : port}/metrics` }, 'metrics listening');
  return server;
}

function parseStages(value: unknown): QueueName[] {
  if (typeof value !== 'string' || value.trim() === '') return [...QUEUE_NAMES];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isQueueName(n));
  if (bad.length > 0) {
    throw new NewsloomError(`worker --stages: unknown stage ${bad.map((b) => `"${b}"`).join(', ')}; expected some of ${QUEUE_NAMES.join(',')}`, 'NL_USAGE', false);
  }
  return names as QueueName[];
}
