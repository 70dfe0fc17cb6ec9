import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnRedis, type SpawnedRedis } from '../../adapters/redis/spawn-redis.js';
import { parseConfig } from '../../config/load.js';
import { createLogger } from '../../lib/log.js';
import { startPipeline, type Pipeline } from '../../workers/run.js';
import { testPrefix } from '../helpers/redis.js';

// A redis-server of this file's own, killed, frozen and restarted on the same port and data dir
// (AOF, so queued jobs survive the kill as they would in production).
let dir: string;
let port: number;
let server: SpawnedRedis;
let admin: Redis;
let pipeline: Pipeline | null = null;
const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
const count = (msg: string) => lines.filter((l) => l.msg === msg).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsloom-outage-'));
  port = await freePort();
  server = await spawnRedis({ port, dir, appendonly: true });
  admin = new Redis(server.url, { maxRetriesPerRequest: null });
  admin.on('error', () => {});
});
afterAll(async () => {
  await pipeline?.shutdown(1000).catch(() => {});
  admin?.disconnect();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let probes = 0;
/** A job the normalise worker must take: its data is invalid, so it fails at once with a reason. */
async function workerTakesAJob(p: Pipeline): Promise<void> {
  const id = `probe-${probes++}`;
  await p.ctx.queues.normalise.add('normalise', { probe: id }, { jobId: id, attempts: 1 });
  await until(`the worker to take ${id}`, async () => (await p.ctx.queues.normalise.getJobState(id)) === 'failed');
}

describe('Redis outages (issue 9: workers resume, the log does not flood)', () => {
  it('after kill -9 and a restart, CLIENT KILL of its blocking connection, and a SIGSTOP past its blocking timeout, the worker takes jobs again by itself; the outage is a few lines, not one per reconnect', async () => {
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
    const config = parseConfig({ redis: { prefix: testPrefix() } }, 'test');
    pipeline = await startPipeline({ config, redisUrl: server.url, log: createLogger('info', sink), stages: ['normalise'], schedule: false });
    await workerTakesAJob(pipeline);

    // Down for a while: ioredis reconnects every 0.2-5 s, each attempt an 'error' on the Worker, its
    // blocking connection and the Queue.
    process.kill(server.pid, 'SIGKILL');
    await until('the first worker error', () => count('worker error') >= 1);
    await new Promise((r) => setTimeout(r, 4000));
    server = await spawnRedis({ port, dir, appendonly: true });
    await workerTakesAJob(pipeline);
    await until('the line saying Redis is back', () => count('redis connection back') === 1);
    const back = lines.find((l) => l.msg === 'redis connection back')!;
    expect(count('worker error')).toBeLessThanOrEqual(2);
    expect(back.errors as number).toBeGreaterThan(count('worker error'));

    // Only the connection blocked in BZPOPMIN dropped.
    const blocked = String(await admin.client('LIST')).split('\n').filter((l) => /cmd=bzpopmin/.test(l));
    expect(blocked.length).toBeGreaterThan(0);
    for (const l of blocked) await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(l)![1]!);
    await workerTakesAJob(pipeline);

    // Frozen longer than BullMQ's blocking timeout (drainDelay 5 s, plus its 1 s watchdog margin).
    process.kill(server.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 12_000));
    process.kill(server.pid, 'SIGCONT');
    await workerTakesAJob(pipeline);
    expect(pipeline.workers.every((w) => w.isRunning())).toBe(true);
  }, 240_000);
});
