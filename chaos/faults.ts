// The faults of the chaos run, each injected into a running case and measured there.
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueName } from '../queues/names.js';
import { QUEUE_NAMES } from '../queues/names.js';
import { fmt, type CaseEnv, type KillTrial, type ResumeTrial } from './case-env.js';
import { sleep } from './redis-server.js';

async function workersNow(env: CaseEnv): Promise<Record<QueueName, number>> {
  // A process respawned after a kill may still be loading: its workers belong in the baseline.
  await env.waitWorkers(env.fleet.alive().length, 60_000);
  const c = await env.probe.workerCounts().catch(() => null);
  // Before-counts are what every live process should bring back: one worker per queue per process.
  const n = env.fleet.alive().filter((p) => !p.frozen).length;
  return c ?? (Object.fromEntries(QUEUE_NAMES.map((q) => [q, n])) as Record<QueueName, number>);
}

/** kill -9 of redis-server, restarted at once on the same port and dir from its AOF. */
export async function killRedis(env: CaseEnv): Promise<ResumeTrial> {
  const before = await workersNow(env);
  const downAt = Date.now();
  await env.redis.kill9();
  env.log('redis-server killed (-9); restarting from its AOF');
  await sleep(1000);
  const upAt = await env.redis.start();
  env.outage('redis kill -9', downAt, upAt);
  return env.measureResume('redis kill -9 + AOF restart', upAt, before);
}

/** SIGSTOP of redis-server for `ms` (30 s: every lock expires meanwhile), then SIGCONT. */
export async function freezeRedis(env: CaseEnv, ms: number): Promise<ResumeTrial> {
  const before = await workersNow(env);
  const downAt = Date.now();
  env.redis.signal('SIGSTOP');
  env.log(`redis-server frozen (SIGSTOP) for ${ms / 1000} s`);
  await sleep(ms);
  env.redis.signal('SIGCONT');
  env.outage('redis SIGSTOP', downAt, Date.now());
  return env.measureResume(`redis SIGSTOP ${ms / 1000} s`, Date.now(), before);
}

/**
 * R7, an OS crash of Redis: kill -9, the un-fsynced last second of the AOF cut off, the torn command
 * fixed by redis-check-aof, restart (chaos/redis-server.ts#osCrash). Jobs enqueued in that second
 * are gone from Redis; the ledger's reconciler must enqueue their items again. Measures workers and
 * storing back, and how long the reconciler keeps enqueueing items again after the restart.
 */
export async function osCrashRedis(env: CaseEnv): Promise<ResumeTrial> {
  const before = await workersNow(env);
  const requeuesBefore = Math.max(0, env.probe.ledgerRequeues());
  const downAt = Date.now();
  const crash = await env.redis.osCrash();
  env.outage('redis OS crash', downAt, crash.upAtMs);
  env.log(`redis-server OS crash: kill -9, ${crash.cutBytes} bytes cut from ${crash.file} (redis-check-aof: ${crash.fixOutput}); restarted`);
  const fault = `redis OS crash (${crash.cutBytes} bytes of AOF cut)`;
  env.reconcileWatches.push(watchVanished(env, fault, crash.upAtMs, requeuesBefore));
  return env.measureResume(fault, crash.upAtMs, before);
}

/**
 * In the background, from the restart: the accepted items left pending in the ledger with no job
 * in any queue (what the cut second of AOF took), and when the last of them had a job again (a
 * re-poll lists a pending item again; the reconciler enqueues one a poll no longer lists) or was
 * settled. Ends in a line for the notes.
 */
async function watchVanished(env: CaseEnv, fault: string, upAtMs: number, requeuesBefore: number): Promise<string> {
  const vanished = await env.probe.withoutJob(env.probe.ledgerPendingKeys()).catch(() => [] as string[]);
  let left = vanished;
  while (left.length > 0 && Date.now() < upAtMs + 120_000) {
    await sleep(1000);
    left = await env.probe.withoutJob(env.probe.ledgerPendingKeys(left)).catch(() => left);
  }
  const requeued = Math.max(0, env.probe.ledgerRequeues() - requeuesBefore);
  const line = `${fault}: ${vanished.length} accepted items had no job left after the restart; ` +
    (left.length ? `${left.length} still without one 120 s later` : `all had a job again or were settled ${fmt(Date.now() - upAtMs)} after it`) +
    `; the reconciler enqueued ${requeued} items again meanwhile`;
  env.log(line);
  return line;
}

/**
 * R11, a partition between the newsloom processes and Redis: the fault proxy blackholes every
 * connection for `ms` (nothing forwarded, sockets kept open), then heals. Workers and storing
 * must be back ≤ 30 s after the heal, with no duplicate row.
 */
export async function partitionWorkers(env: CaseEnv, ms: number): Promise<ResumeTrial | null> {
  const proxy = env.proxy;
  if (!proxy) return null;
  const before = await workersNow(env);
  const storedAt = env.probe.stored();
  const downAt = Date.now();
  await proxy.setMode('blackhole');
  env.log(`partition: every newsloom connection to Redis blackholed for ${ms / 1000} s`);
  await sleep(ms);
  await proxy.setMode('pass');
  const healAt = Date.now();
  env.outage('partition', downAt, healAt);
  env.log(`partition healed; ${env.probe.stored() - storedAt} rows stored meanwhile`);
  return env.measureResume(`partition ${ms / 1000} s (blackhole), healed`, healAt, before);
}

/** CLIENT KILL TYPE normal: every client connection dropped at once (the harness's own skipped). */
export async function killClients(env: CaseEnv): Promise<ResumeTrial> {
  const before = await workersNow(env);
  const killed = await env.probe.redis.client('KILL', 'TYPE', 'normal').catch((e: Error) => e.message);
  env.log(`CLIENT KILL TYPE normal: ${String(killed)} connections dropped`);
  return env.measureResume('CLIENT KILL TYPE normal', Date.now(), before);
}

/** SIGSTOP of one `newsloom worker` for `ms`, past its locks (30 s), then SIGCONT: its jobs run elsewhere meanwhile. */
export async function freezeWorker(env: CaseEnv, ms: number): Promise<string> {
  const p = env.fleet.alive().find((q) => q.command === 'worker' && !q.frozen) ?? env.fleet.alive()[0];
  if (!p) return 'no process to freeze';
  const active = (await env.probe.counts().catch(() => null))?.active ?? 0;
  p.frozen = true;
  p.child.kill('SIGSTOP');
  env.log(`${p.role} frozen (SIGSTOP) for ${ms / 1000} s (${active} jobs active overall)`);
  await sleep(ms);
  p.child.kill('SIGCONT');
  p.frozen = false;
  return `${p.role} SIGSTOP ${ms / 1000} s`;
}

/**
 * SQLite's disk full: a filler file takes every free byte of the storage mount for `ms`, then is
 * deleted. Store jobs meanwhile fail SQLITE_FULL (retryable) and must all be stored afterwards.
 */
export async function fillDisk(env: CaseEnv, mountDir: string, ms: number): Promise<string> {
  const filler = join(mountDir, 'filler.bin');
  const free = statfsSync(mountDir).bavail * statfsSync(mountDir).bsize;
  // Zeros until ENOSPC, in 1 MB then 4 KB writes: fallocate of the exact free size is refused on tmpfs.
  const fd = openSync(filler, 'w');
  for (const size of [1048576, 4096]) {
    const chunk = Buffer.alloc(size);
    try {
      for (;;) writeSync(fd, chunk);
    } catch {
      // ENOSPC: next, smaller chunks.
    }
  }
  closeSync(fd);
  const left = statfsSync(mountDir).bavail * statfsSync(mountDir).bsize;
  env.log(`disk full: ${(free / 1048576).toFixed(1)} MB filled, ${left} bytes left, for ${ms / 1000} s`);
  await sleep(ms);
  rmSync(filler, { force: true });
  return `disk full ${ms / 1000} s: freed`;
}

/** A random live, unfrozen process; `newsloom start` included, since it runs every stage too. */
export function pickProcess(env: CaseEnv, rnd: () => number) {
  const live = env.fleet.alive().filter((p) => !p.frozen);
  return live[Math.floor(rnd() * live.length)];
}

export async function killRandomWorker(env: CaseEnv, rnd: () => number, trials: Array<Promise<KillTrial>>): Promise<void> {
  const p = pickProcess(env, rnd);
  if (!p) return;
  const { trial } = await env.killWorker(p);
  trials.push(trial.then((k) => {
    const out = Object.entries(k.outageMs).map(([kind, ms]) => `${kind} ${fmt(ms)}`).join(', ');
    const stalls = k.jobs.flatMap((j) => (j.stalledMs === null ? [] : [j.stalledMs]));
    const slowest = [...k.jobs].sort((a, b) => b.rerunMs - a.rerunMs)[0];
    env.log(k.heldJobs === 0 ? `kill -9 ${k.role}: it held no jobs` : `kill -9 ${k.role}: held ${k.heldJobs} jobs, all running again or done after ${fmt(k.recoveryMs)}` +
      ` (net ${fmt(k.netRecoveryMs)}${out ? `; Redis out meanwhile: ${out}` : ''}); found stalled ${stalls.length ? `${fmt(Math.min(...stalls))}–${fmt(Math.max(...stalls))}` : 'never'} after the kill` +
      `${slowest ? `; slowest ${slowest.queue} (stalled ${fmt(slowest.stalledMs)}, ran again ${fmt(slowest.rerunMs)})` : ''}${k.unresolved ? ` (${k.unresolved} unresolved at the cap)` : ''}`);
    return k;
  }));
  env.log(`kill -9 ${p.role} (respawned)`);
}
