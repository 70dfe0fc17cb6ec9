import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { startPipeline } from '../../workers/run.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();

describe('a store worker starting while storage is down', () => {
  // Chaos found it: a worker respawned during a disk-full episode published the outbox at start,
  // failed, and the process exited 1. The store jobs retry; the start must not die instead.
  it('starts, says the outbox waits, and stays up', async () => {
    const lines: Array<{ level: number; msg: string; err?: { message?: string } }> = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
    const closedPort = await freePort();
    const config = parseConfig({ redis: { prefix: testPrefix() }, storage: { postgres: `postgres://newsloom@127.0.0.1:${closedPort}/none` } }, 'test');
    const pipeline = await startPipeline({ config, redisUrl: t.server.url, log: createLogger('info', sink), stages: ['store'], schedule: false });
    try {
      const warning = lines.find((l) => l.msg === 'outbox not published at start; the next stored article publishes it');
      expect(warning?.level).toBe(40);
      expect(JSON.stringify(warning?.err)).toMatch(/ECONNREFUSED|connect/);
      expect(pipeline.workers.map((w) => w.isRunning())).toEqual([true]);
    } finally {
      await pipeline.shutdown(1000);
    }
  });
});
