import { resolveRedis } from '../adapters/redis/resolve-redis.js';
import { NewsloomError } from '../lib/errors.js';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../queues/names.js';
import { startPipeline } from '../workers/run.js';
import { cliLogger, loadCliConfig, parseCommand, untilSignal } from './common.js';

/** `newsloom worker --stages fetch,extract`: only some stages, for scaling out. */
export async function runWorker(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, { stages: { type: 'string' } }, 'worker');
  const stages = parseStages(values.stages);
  const { config, path: configPath } = loadCliConfig(values.config);
  const log = cliLogger(config.log.level);
  const redis = await resolveRedis(config.redis.url, log);
  const pipeline = await startPipeline({ config, redisUrl: redis.url, log, stages, schedule: false, configPath });
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await pipeline.close();
  await redis.stop?.();
  return 0;
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
