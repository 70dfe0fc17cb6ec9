import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisHostGate, type HostGate, type HostLimits } from '../../../adapters/redis/host-gate.js';
import { startTestRedis, testPrefix, type TestRedis } from '../../helpers/redis.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

let server: TestRedis;
let a: Redis;
let b: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  // Two connections stand for two processes; the kill test below uses a real one.
  a = new Redis(server.url);
  b = new Redis(server.url);
});
afterAll(async () => {
  await a?.quit();
  await b?.quit();
  await server?.stop();
});

/** Asks until the gate grants, sleeping until each retryAtMs it names, as a delayed job would. */
async function acquireEventually(gate: HostGate, host: string, limits: HostLimits, deadlineMs = Date.now() + 30_000) {
  for (;;) {
    const turn = await gate.acquire(host, limits);
    if (turn.ok) return turn;
    if (Date.now() > deadlineMs) throw new Error(`no turn at ${host} before the deadline (last: ${turn.reason})`);
    await sleep(Math.max(0, turn.retryAtMs - Date.now()));
  }
}

describe('redisHostGate', () => {
  it('grants at most maxConcurrent leases at once across connections, and a release frees one', async () => {
    const prefix = testPrefix();
    const gates = [redisHostGate(a, prefix), redisHostGate(b, prefix)];
    const limits = { maxConcurrent: 3, minIntervalMs: 0 };
    const turns = await Promise.all(Array.from({ length: 20 }, (_, i) => gates[i % 2]!.acquire('news.example', limits)));
    const granted = turns.flatMap((t) => (t.ok ? [t] : []));
    expect(granted).toHaveLength(3);
    expect(turns.filter((t) => !t.ok).map((t) => !t.ok && t.reason)).toEqual(Array(17).fill('busy'));
    // Another host is not affected.
    expect((await gates[0]!.acquire('other.example', limits)).ok).toBe(true);
    await granted[0]!.release();
    expect((await gates[1]!.acquire('news.example', limits)).ok).toBe(true);
    expect((await gates[1]!.acquire('news.example', limits)).ok).toBe(false);
  });

  it('keeps its keys under the {prefix} hash tag', async () => {
    const prefix = testPrefix();
    await redisHostGate(a, prefix).acquire('News.Example:8080', { maxConcurrent: 1, minIntervalMs: 10 });
    expect((await a.keys(`{${prefix}}:*`)).sort()).toEqual([`{${prefix}}:host:news.example:8080`, `{${prefix}}:host:news.example:8080:leases`]);
  });

  it('refuses a start within minIntervalMs of the last one and names when to come back', async () => {
    const prefix = testPrefix();
    const limits = { maxConcurrent: 5, minIntervalMs: 5_000 };
    const first = await redisHostGate(a, prefix).acquire('news.example', limits);
    expect(first.ok).toBe(true);
    const second = await redisHostGate(b, prefix).acquire('news.example', limits);
    expect(second.ok).toBe(false);
    if (first.ok && !second.ok) {
      expect(second.reason).toBe('interval');
      // Same machine, so the Redis clock and ours agree to within a few ms.
      expect(second.retryAtMs).toBeGreaterThanOrEqual(first.grantedAtMs + 5_000 - 20);
      expect(second.retryAtMs).toBeLessThanOrEqual(Date.now() + 5_000);
    }
  });

  it('spreads a burst of refused callers one interval apart instead of sending them all back at once', async () => {
    const prefix = testPrefix();
    const gates = [redisHostGate(a, prefix), redisHostGate(b, prefix)];
    const limits = { maxConcurrent: 10, minIntervalMs: 1_000 };
    expect((await gates[0]!.acquire('news.example', limits)).ok).toBe(true);
    const refused = await Promise.all(Array.from({ length: 6 }, (_, i) => gates[i % 2]!.acquire('news.example', limits)));
    const at = refused.map((t) => (t.ok ? NaN : t.retryAtMs)).sort((x, y) => x - y);
    // Each promise is computed in Redis one interval after the previous; only the clock conversion adds ms.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1_000 - 20);
  });

  it('spaces granted starts at least minIntervalMs apart on the Redis clock', async () => {
    const prefix = testPrefix();
    const gates = [redisHostGate(a, prefix), redisHostGate(b, prefix)];
    const limits = { maxConcurrent: 10, minIntervalMs: 60 };
    const grants = await Promise.all(
      [0, 1, 0, 1, 0, 1].map(async (g) => {
        const turn = await acquireEventually(gates[g]!, 'news.example', limits);
        await turn.release();
        return turn.grantedAtMs;
      }),
    );
    grants.sort((x, y) => x - y);
    for (let i = 1; i < grants.length; i++) expect(grants[i]! - grants[i - 1]!).toBeGreaterThanOrEqual(60);
  });

  it('backs a host off until the given time, never shortening a longer back-off', async () => {
    const gate = redisHostGate(a, testPrefix());
    const limits = { maxConcurrent: 2, minIntervalMs: 0 };
    expect(await gate.blockedUntil('news.example')).toBeNull();
    const until = Date.now() + 400;
    await gate.backoff('news.example', until);
    await gate.backoff('news.example', Date.now() + 50);
    const blocked = await gate.blockedUntil('news.example');
    expect(blocked).toBeGreaterThanOrEqual(until - 20);
    const refused = await gate.acquire('news.example', limits);
    expect(refused.ok || refused.reason).toBe('backoff');
    const turn = await acquireEventually(gate, 'news.example', limits);
    expect(turn.grantedAtMs).toBeGreaterThanOrEqual(until - 20);
    expect(await gate.blockedUntil('news.example')).toBeNull();
  });

  it('lets the lease of a process killed with SIGKILL lapse, so the host is not locked forever', async () => {
    const prefix = testPrefix();
    const leaseMs = 4_000;
    const child = holdLease(server.url, prefix, 'news.example', leaseMs);
    try {
      const line = await firstLine(child);
      const held = JSON.parse(line) as { grantedAtMs: number };
      child.kill('SIGKILL');
      await once(child, 'exit');
      const gate = redisHostGate(a, prefix);
      const limits = { maxConcurrent: 1, minIntervalMs: 0 };
      const refused = await gate.acquire('news.example', limits);
      expect(refused.ok || refused.reason).toBe('busy');
      const turn = await acquireEventually(gate, 'news.example', limits);
      expect(turn.grantedAtMs).toBeGreaterThanOrEqual(held.grantedAtMs + leaseMs);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

/** A separate OS process that takes one lease, prints it, and then hangs until killed. */
function holdLease(redisUrl: string, prefix: string, host: string, leaseMs: number): ChildProcess {
  const code = `
    const { Redis } = await import('ioredis');
    const { redisHostGate } = await import(${JSON.stringify(`${root}adapters/redis/host-gate.ts`)});
    const [redisUrl, prefix, host, leaseMs] = JSON.parse(process.argv[1]);
    const turn = await redisHostGate(new Redis(redisUrl), prefix).acquire(host, { maxConcurrent: 1, minIntervalMs: 0, leaseMs });
    if (!turn.ok) throw new Error('no lease: ' + turn.reason);
    console.log(JSON.stringify({ grantedAtMs: turn.grantedAtMs }));
    setInterval(() => {}, 60_000);
  `;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, JSON.stringify([redisUrl, prefix, host, leaseMs])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`child exited with ${String(code)} before printing`);
  });
  exited.catch(() => {}); // the child exits normally later; only a race it wins matters
  try {
    return await Promise.race([once(lines, 'line').then(([l]) => l as string), exited]);
  } finally {
    lines.close();
  }
}
