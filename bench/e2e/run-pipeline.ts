// One measured run of the real pipeline: a fresh Redis (AOF everysec) and a fresh database,
// `newsloom start` (plus `newsloom worker` processes) spawned as a user would, the bench site set to
// a mode, and a sampler once a second: stored rows, Redis used_memory and jobs in flight, each
// process's CPU (/proc/<pid>/stat utime+stime) and RSS. At the end: peak RSS (VmHWM), the stored rows
// with their created_at, joined with the site's discovery log.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { parseConfig } from '../../config/load.js';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { QUEUE_NAMES } from '../../queues/names.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import { startTestRedis } from '../../test/helpers/redis.js';
import type { TestPostgres } from '../../test/helpers/postgres.js';
import { machineCpuMs, procCpuMs, procStatusKb } from './proc-stats.js';
import type { BenchSite, SiteLog, SiteMode } from './site-server.js';
import { readStageLatencies, type StageLatency } from './stage-latency.js';
import { storedCounter, type StoredCounter } from './stored-rows.js';

const BIN = new URL('../../bin/newsloom.mjs', import.meta.url).pathname;
const PREFIX = 'newsloom';

export interface RunSpec {
  label: string;
  storage: 'sqlite' | 'postgres';
  /** 1: `newsloom start`; n > 1: plus n − 1 `newsloom worker` processes. */
  processes: number;
  mode: SiteMode;
  /** Paced mode: items released per second, and how many. */
  paced?: { ratePerS: number; count: number };
  pollInterval: string;
  maxSeconds: number;
  /** When set, the processes run with --cpu-prof into this directory. */
  profileDir?: string;
  /** fetch.perHost override, YAML flow map (e.g. "{ maxConcurrent: 2, minInterval: 1s }"). */
  perHost?: string;
  /** enrich.timeout override (e.g. "60s"); unset: the default. */
  enrichTimeout?: string;
  /** queues.highWater override (0: no backpressure); unset: the default. */
  highWater?: number;
  /** Sampler period; default 1000 ms. */
  sampleEveryMs?: number;
  /**
   * Each newsloom process confined to one core of its own (`taskset -c i`), threads included, as
   * on separate one-core machines: what more processes add when each brings its own CPU. Redis and
   * the site are not confined.
   */
  pinCores?: boolean;
}

/** Called after each sample while the processes run (bench:soak injects its large page from here). */
export type OnSample = (s: Sample, live: { pids: number[]; queues: Queues }) => Promise<void>;

export interface Sample {
  atMs: number;
  stored: number;
  usedMemory: number;
  /** Jobs in fetch…store (waiting, active, delayed) plus feeds jobs waiting or running. */
  inFlight: number;
  /** Waiting or active only: what still moves without a timer. */
  moving: number;
  /** pid → utime+stime ms so far. */
  cpuMs: Record<number, number>;
  rssKb: Record<number, number>;
  /** `newsloom start`'s newsloom_jobs_total from its /metrics: "<stage> <outcome>" → count. */
  jobs: Record<string, number>;
  /** `newsloom start`'s nodejs_heap_size_used_bytes and _total_bytes (main thread only); NaN when /metrics did not answer. */
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** The machine's CPU so far (/proc/stat), ms over all cores: busy and total. */
  machineCpu: { busy: number; total: number };
  /** Redis INFO commandstats so far: command → calls and µs. */
  redisCommands: Record<string, { calls: number; usec: number }>;
}

export interface ProcessFigures {
  role: string;
  pid: number;
  spawnedAtMs: number;
  peakRssKb: number;
  /** CPU in the steady window, ms. */
  windowCpuMs: number;
  totalCpuMs: number;
}

export interface RunResult {
  spec: RunSpec;
  samples: Sample[];
  stored: number;
  /** Steady window: from 10% to 90% of the rows stored (ms epoch), and rows stored in it. */
  window: { fromMs: number; toMs: number; articles: number };
  articlesPerS: number;
  /** Discovery → stored row, ms, of every stored item the site logged. */
  latenciesMs: number[];
  /** The same with when each was discovered. */
  latencies: Array<{ discoveredAtMs: number; ms: number; url: string }>;
  processes: ProcessFigures[];
  /** used_memory at its peak and at the start; jobs in flight at their peak, and used_memory then. */
  redis: {
    pid: number; peakUsedMemory: number; baselineUsedMemory: number; peakInFlight: number; usedMemoryAtPeakInFlight: number; windowCpuMs: number;
    /** INFO commandstats in the steady window, most µs first (commands a script runs count under it and on their own). */
    commands: Array<{ name: string; calls: number; usec: number }>;
  };
  site: SiteLog;
  /** The whole machine in the steady window: busy share of all cores, and CPU ms not used by the newsloom processes or Redis (the bench site and sampler, the kernel, anything else). */
  machine: { busyShare: number; otherCpuMs: number };
  timedOut: boolean;
  /** From spawning the processes to the first feed poll, and to the first stored row (ms). */
  startUpMs: { firstPoll: number | null; firstRow: number | null };
  /** Last lines of each process's log, when one exited early. */
  problems: string[];
  /** Per stage, jobs' wait (created → taken) and run (taken → finished), of the last queues.keepCompleted per queue. */
  stages: StageLatency[];
}

interface Spawned {
  role: string;
  child: ChildProcess;
  spawnedAtMs: number;
  exited: Promise<number | null>;
}

export async function runPipeline(spec: RunSpec, site: BenchSite, dir: string, postgres: TestPostgres | null, onSample?: OnSample): Promise<RunResult> {
  mkdirSync(dir, { recursive: true });
  const redisServer = await startTestRedis({ appendonly: true });
  const conn = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const queues = createQueues(conn, parseConfig({ redis: { prefix: PREFIX } }, 'bench'));
  const sqlitePath = join(dir, 'newsloom.db');
  const pgUrl = spec.storage === 'postgres' ? await postgres!.createDatabase() : null;
  const configPath = join(dir, 'newsloom.yaml');
  const dashboardPort = await freePort();
  writeFileSync(configPath, [
    `redis:\n  url: ${redisServer.url}\n  prefix: ${PREFIX}`,
    pgUrl ? `storage:\n  postgres: ${pgUrl}` : `storage:\n  sqlite: ${sqlitePath}`,
    `fetch:\n  allowPrivateNetworks: true${spec.perHost ? `\n  perHost: ${spec.perHost}` : ''}`,
    `dashboard:\n  port: ${dashboardPort}`,
    ...(spec.enrichTimeout ? [`enrich:\n  timeout: ${spec.enrichTimeout}`] : []),
    ...(spec.highWater !== undefined ? [`queues:\n  highWater: ${spec.highWater}`] : []),
    `feeds:\n${site.feedUrls.map((u) => `  - url: ${u}\n    interval: ${spec.pollInterval}`).join('\n')}`,
  ].join('\n') + '\n');

  await site.configure(spec.mode);
  const env: NodeJS.ProcessEnv = { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '', NODE_OPTIONS: '' };
  // Node 20 refuses --cpu-prof in NODE_OPTIONS: given as a flag, worker threads inherit it with execArgv.
  const nodeFlags = spec.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`] : [];
  const spawned: Spawned[] = [];
  const launch = (role: string, args: string[]) => {
    const out = openSync(join(dir, `${role.replace(/ /g, '-')}.log`), 'w');
    const argv = [process.execPath, ...nodeFlags, BIN, ...args, '--config', configPath];
    // taskset execs node, so the child's pid is node's (peak RSS and CPU read from /proc stay right).
    if (spec.pinCores) argv.unshift('taskset', '-c', String(spawned.length % cpus().length));
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', out, out] });
    closeSync(out);
    spawned.push({ role, child, spawnedAtMs: Date.now(), exited: new Promise((r) => child.once('exit', (code) => r(code))) });
  };
  launch('start', ['start']);
  for (let i = 1; i < spec.processes; i++) launch(`worker ${i}`, ['worker']);

  const countStored = storedCounter(spec.storage, sqlitePath, pgUrl);
  const samples: Sample[] = [];
  const problems: string[] = [];
  let upAtMs: number | null = null;
  let firstPollMs: number | null = null;
  let released = spec.mode !== 'paced';
  let timedOut = false;
  let unchangedSince = Date.now();
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, spec.sampleEveryMs ?? 1000));
      const prev = samples.at(-1);
      const s = await sample(spawned, redisServer.pid, conn, queues, countStored, dashboardPort, prev?.jobs ?? {});
      samples.push(s);
      if (!prev || prev.stored !== s.stored) unchangedSince = s.atMs;
      const dead = spawned.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      if (dead.length === 0) await onSample?.(s, { pids: spawned.map((p) => p.child.pid!), queues });
      if (dead.length > 0) {
        for (const p of dead) problems.push(`${p.role} exited ${p.child.exitCode ?? p.child.signalCode}: ${tail(join(dir, `${p.role.replace(/ /g, '-')}.log`))}`);
        break;
      }
      // The time cap counts from the first poll: start-up (tsx, models, threads) is not the run.
      const polls = upAtMs === null || !released ? (await site.log('counts')).feedPolls : 0;
      if (upAtMs === null && polls > 0) upAtMs = firstPollMs = Date.now();
      // Paced: release once every feed has been polled empty, so processes are up and models loaded.
      if (!released && polls >= site.feedUrls.length) {
        await site.release(spec.paced!.ratePerS, spec.paced!.count);
        released = true;
        upAtMs = Date.now();
      }
      if (upAtMs === null && s.atMs - spawned[0]!.spawnedAtMs > 600_000) {
        problems.push('no feed was polled within 600 s of start');
        break;
      }
      if (upAtMs !== null && (s.atMs - upAtMs) / 1000 > spec.maxSeconds) {
        timedOut = true;
        break;
      }
      if (released && s.stored > 0 && s.moving === 0 && s.atMs - unchangedSince >= 5000 && pacedOver(spec, samples)) break;
    }
  } catch (err) {
    problems.push(`sampler: ${(err as Error).message}`);
  }

  const peakRss = Object.fromEntries(spawned.map((p) => [p.child.pid!, vmHwmKb(p.child.pid!)]));
  // Jobs created once items flowed (paced: after the release), from the completed jobs BullMQ kept.
  const stages = await readStageLatencies(queues, upAtMs ?? 0).catch(() => []);
  for (const ended of await Promise.all(spawned.map((p) => stop(p)))) if (ended) problems.push(ended);
  const siteLog = await site.log();
  const rows = await countStored.rows();
  await countStored.close();
  await closeQueues(queues);
  await conn.quit();
  await redisServer.stop();

  const stored = rows.length;
  const w = steadyWindow(samples, stored);
  const at = (ms: number) => samples.reduce((best, s) => (Math.abs(s.atMs - ms) < Math.abs(best.atMs - ms) ? s : best), samples[0]!);
  const first = at(w.fromMs);
  const last = at(w.toMs);
  const peak = samples.reduce((a, b) => (b.usedMemory > a.usedMemory ? b : a), samples[0]!);
  const busiest = samples.reduce((a, b) => (b.inFlight > a.inFlight ? b : a), samples[0]!);
  const latencies = rows.flatMap((r) => {
    const d = siteLog.discovered[r.url];
    return d === undefined ? [] : [{ discoveredAtMs: d, ms: Date.parse(r.createdAt) - d, url: r.url }];
  });
  return {
    spec,
    samples,
    stored,
    window: w,
    articlesPerS: w.toMs > w.fromMs ? (w.articles * 1000) / (w.toMs - w.fromMs) : 0,
    latenciesMs: latencies.map((l) => l.ms),
    latencies,
    processes: spawned.map((p) => ({
      role: p.role, pid: p.child.pid!, spawnedAtMs: p.spawnedAtMs, peakRssKb: peakRss[p.child.pid!] ?? 0,
      windowCpuMs: (last.cpuMs[p.child.pid!] ?? 0) - (first.cpuMs[p.child.pid!] ?? 0), totalCpuMs: samples.at(-1)?.cpuMs[p.child.pid!] ?? 0,
    })),
    redis: {
      pid: redisServer.pid, peakUsedMemory: peak.usedMemory, baselineUsedMemory: samples[0]?.usedMemory ?? 0,
      peakInFlight: busiest.inFlight, usedMemoryAtPeakInFlight: busiest.usedMemory,
      windowCpuMs: (last.cpuMs[redisServer.pid] ?? 0) - (first.cpuMs[redisServer.pid] ?? 0),
      commands: Object.entries(last.redisCommands)
        .map(([name, c]) => ({ name, calls: c.calls - (first.redisCommands[name]?.calls ?? 0), usec: c.usec - (first.redisCommands[name]?.usec ?? 0) }))
        .filter((c) => c.calls > 0)
        .sort((a, b) => b.usec - a.usec),
    },
    site: siteLog,
    machine: ((busy, total) => ({
      busyShare: total > 0 ? busy / total : NaN,
      otherCpuMs: busy - (last.cpuMs[redisServer.pid] ?? 0) + (first.cpuMs[redisServer.pid] ?? 0) - spawned.reduce((s, p) => s + (last.cpuMs[p.child.pid!] ?? 0) - (first.cpuMs[p.child.pid!] ?? 0), 0),
    }))(last.machineCpu.busy - first.machineCpu.busy, last.machineCpu.total - first.machineCpu.total),
    timedOut,
    startUpMs: {
      firstPoll: firstPollMs === null ? null : firstPollMs - spawned[0]!.spawnedAtMs,
      firstRow: ((t) => (t === undefined ? null : t - spawned[0]!.spawnedAtMs))(samples.find((x) => x.stored > 0)?.atMs),
    },
    problems,
    stages,
  };
}

/** Paced runs end only after the last item was released (and a little more). */
function pacedOver(spec: RunSpec, samples: Sample[]): boolean {
  if (spec.mode !== 'paced') return true;
  const firstStored = samples.find((s) => s.stored > 0);
  return firstStored !== undefined && samples.at(-1)!.atMs - firstStored.atMs > (spec.paced!.count / spec.paced!.ratePerS) * 1000;
}

/** From the sample where 10% of the rows were stored to the one where 90% were: past start-up and the tail. */
function steadyWindow(samples: Sample[], stored: number): { fromMs: number; toMs: number; articles: number } {
  const from = samples.find((s) => s.stored >= stored * 0.1) ?? samples[0];
  const to = samples.find((s) => s.stored >= stored * 0.9) ?? samples.at(-1);
  if (!from || !to) return { fromMs: 0, toMs: 0, articles: 0 };
  return { fromMs: from.atMs, toMs: to.atMs, articles: to.stored - from.stored };
}

/** Jobs per stage and outcome counted by the `start` process (its dashboard's /metrics), and its main thread's heap; `prev` when it does not answer. */
async function scrapeJobs(port: number, prev: Record<string, number>): Promise<{ jobs: Record<string, number>; heapUsedBytes: number; heapTotalBytes: number }> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const jobs: Record<string, number> = {};
    const heapUsedBytes = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
    const heapTotalBytes = Number(/^nodejs_heap_size_total_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
    for (const line of text.split('\n')) {
      if (!line.startsWith('newsloom_jobs_total{')) continue;
      const stage = /stage="([^"]+)"/.exec(line)?.[1];
      const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
      if (stage && outcome) jobs[`${stage} ${outcome}`] = Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return { jobs, heapUsedBytes, heapTotalBytes };
  } catch {
    return { jobs: prev, heapUsedBytes: NaN, heapTotalBytes: NaN };
  }
}

async function sample(spawned: Spawned[], redisPid: number, conn: Redis, queues: Queues, countStored: StoredCounter, dashboardPort: number, prevJobs: Record<string, number>): Promise<Sample> {
  const info = await conn.info('memory');
  const commandStats = await conn.info('commandstats');
  const counts = await Promise.all(QUEUE_NAMES.map((q) => queues[q].getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
  let inFlight = 0;
  let moving = 0;
  QUEUE_NAMES.forEach((q, i) => {
    const c = counts[i]!;
    const now = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    moving += now;
    // The feeds queue's delayed jobs are the schedulers' next polls, not work in flight.
    inFlight += now + (q === 'feeds' ? 0 : c.delayed ?? 0);
  });
  const pids = [...spawned.map((p) => p.child.pid!), redisPid];
  return {
    atMs: Date.now(),
    stored: await countStored.count(),
    usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0),
    machineCpu: machineCpuMs(),
    redisCommands: Object.fromEntries(
      [...commandStats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)].map((m) => [m[1]!, { calls: Number(m[2]), usec: Number(m[3]) }]),
    ),
    inFlight,
    moving,
    cpuMs: Object.fromEntries(pids.map((pid) => [pid, procCpuMs(pid)])),
    rssKb: Object.fromEntries(pids.map((pid) => [pid, procStatusKb(pid, 'VmRSS')])),
    ...(await scrapeJobs(dashboardPort, prevJobs)),
  };
}

const vmHwmKb = (pid: number) => procStatusKb(pid, 'VmHWM');

/**
 * SIGTERM (finish active jobs), a second SIGTERM after 45 s (exit now: still through process.exit,
 * so --cpu-prof writes its profiles), SIGKILL after 30 s more. Answers how it ended when not cleanly.
 */
async function stop(p: Spawned): Promise<string | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return null;
  p.child.kill('SIGTERM');
  const again = setTimeout(() => p.child.kill('SIGTERM'), 45_000);
  const kill = setTimeout(() => p.child.kill('SIGKILL'), 75_000);
  const code = await p.exited;
  clearTimeout(again);
  clearTimeout(kill);
  return code === 0 ? null : `${p.role} ended ${code ?? p.child.signalCode} after SIGTERM`;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ').slice(0, 600);
  } catch {
    return '(no log)';
  }
}
