// Everything one chaos case runs on: its own redis-server (a fresh port and data dir), a fresh
// SQLite database on the storage mount, a config file, the newsloom processes, a probe and a
// sampler ticking once a second (stored rows, jobs in flight, peak RSS), and the measurements the
// faults share: how long until workers are back after a Redis outage, and until a killed worker's
// jobs run again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../adapters/redis/spawn-redis.js';
import type { BenchSite } from '../bench/e2e/site-server.js';
import { QUEUE_NAMES, type QueueName } from '../queues/names.js';
import { check, type CheckResult } from './check.js';
import { Fleet, type FleetProcess } from './fleet.js';
import { PREFIX, Probe, tryFor, type JobMark } from './probe.js';
import { RedisProxy } from './redis-proxy.js';
import { ChaosRedis, sleep } from './redis-server.js';

export interface CaseOptions {
  name: string;
  processes: number;
  /** Items released (round-robin over the feeds) and at what rate. */
  items: number;
  ratePerS: number;
  poll: string;
  /** Extra redis-server flags. */
  redisArgs?: string[];
  /** YAML lines appended to the config. */
  extraConfig?: string;
  /** The newsloom processes reach Redis through a fault proxy (chaos/redis-proxy.ts); the probe does not. */
  proxy?: boolean;
  /**
   * Quiescence also waits for no item pending in the ledger: after an OS crash of Redis, jobs it
   * lost leave nothing in flight until the reconciler enqueues their items again.
   */
  settleLedger?: boolean;
}

/** A time when no job could be handed to another worker: Redis down, frozen, or unreachable. */
export interface Outage {
  kind: string;
  fromMs: number;
  toMs: number;
}

export interface Sample {
  atMs: number;
  stored: number;
  inFlight: number;
  /** The stage queue holding the most of them, and how many. */
  fullest?: string;
}

export interface ResumeTrial {
  fault: string;
  /** Redis accepting connections → every queue's worker count back to its count before the fault. */
  workersBackMs: number | null;
  /** Redis accepting connections → the first new stored row (null: nothing left to store, or never). */
  storedMovesMs: number | null;
  nothingLeft: boolean;
  missingWorkers: string;
}

export interface HeldJob {
  queue: QueueName;
  /** Kill → BullMQ found it stalled (its 'stalled' event or its stc rising); null if never seen. */
  stalledMs: number | null;
  /** Kill → it ran again (new processedOn) or finished. */
  rerunMs: number;
  /** rerunMs less the time Redis was down, frozen or unreachable meanwhile. */
  netMs: number;
}

export interface KillTrial {
  role: string;
  atMs: number;
  /** Jobs the killed process held (active before the kill, stalled or re-run after it). */
  heldJobs: number;
  /** Kill → the last of its jobs runs again or finishes; null when it held none. */
  recoveryMs: number | null;
  /** recoveryMs less its overlap with Redis outages (a job cannot be handed to anyone then). */
  netRecoveryMs: number | null;
  /** Of recoveryMs, the time Redis was down, frozen or unreachable, by kind. */
  outageMs: Record<string, number>;
  unresolved: number;
  /** Each unresolved job as it stood at the cap (queue, lists it is in, timestamps, lock): what kept it. */
  unresolvedJobs: string[];
  perJobMs: number[];
  jobs: HeldJob[];
}

export class CaseEnv {
  readonly dir: string;
  readonly sqlitePath: string;
  redis!: ChaosRedis;
  proxy: RedisProxy | null = null;
  fleet!: Fleet;
  /** Redis outages the faults made, for the kill trials' net times. */
  readonly outages: Outage[] = [];
  /** Background watches of the reconciler after an OS crash of Redis, each ending in a line for the notes. */
  readonly reconcileWatches: Array<Promise<string>> = [];
  probe!: Probe;
  readonly samples: Sample[] = [];
  readonly notes: string[] = [];
  usedMemoryBefore = 0;
  usedMemoryAfter = 0;
  /**
   * Worker uuid → when a lock token of it was first seen, newest token: a killed process's lock
   * stays visible until it expires, but its Workers never take a new job (a new token) again.
   */
  readonly holderNewToken = new Map<string, number>();
  private readonly tokensSeen = new Set<string>();
  /** Per queue, the time between one stall check and the next (from BullMQ's stalled-check key): late checks make late re-runs. */
  readonly stallCheckGapsMs = new Map<QueueName, number[]>();
  private readonly lastStallCheck = new Map<QueueName, number>();
  private sampling = true;
  private sampler: Promise<void> | null = null;
  startedMs = Date.now();

  constructor(readonly opts: CaseOptions, readonly site: BenchSite, workDir: string, storageDir: string) {
    this.dir = join(workDir, opts.name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(this.dir, { recursive: true });
    const dbDir = join(storageDir, opts.name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(dbDir, { recursive: true });
    this.sqlitePath = join(dbDir, 'newsloom.db');
  }

  log(line: string): void {
    const s = ((Date.now() - this.startedMs) / 1000).toFixed(0).padStart(4);
    process.stderr.write(`chaos [${this.opts.name} ${s}s ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  }

  /** Records a window when no job could change hands (Redis down, frozen or unreachable). */
  outage(kind: string, fromMs: number, toMs: number): void {
    this.outages.push({ kind, fromMs, toMs });
  }

  /** How much of [fromMs, toMs] fell in recorded outages, by kind (overlapping outages counted once, under the first). */
  outageOverlap(fromMs: number, toMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    let covered = fromMs;
    for (const o of [...this.outages].sort((a, b) => a.fromMs - b.fromMs)) {
      const a = Math.max(o.fromMs, covered);
      const b = Math.min(o.toMs, toMs);
      if (b <= a) continue;
      out[o.kind] = (out[o.kind] ?? 0) + (b - a);
      covered = b;
    }
    return out;
  }

  /** Redis, config, probe; the processes are launched by `launch`. */
  async setup(): Promise<void> {
    const port = await freePort();
    this.redis = new ChaosRedis({ port, dir: join(this.dir, 'redis'), args: this.opts.redisArgs });
    await this.redis.start();
    this.redis.sampleAof();
    if (this.opts.proxy) this.proxy = await RedisProxy.start(port);
    const configPath = join(this.dir, 'newsloom.yaml');
    const enrich = process.env.ENRICH === 'default' ? '' : 'enrich:\n  stages: []\n  threads: 0';
    writeFileSync(configPath, [
      `redis:\n  url: ${this.proxy?.url ?? this.redis.url}\n  prefix: ${PREFIX}`,
      `storage:\n  sqlite: ${this.sqlitePath}`,
      'fetch:\n  allowPrivateNetworks: true',
      // Retries 2 s, 4 s, 8 s, 16 s: a 500 page fails in ~30 s instead of 75 s, and still outlasts a 15 s disk-full episode.
      `queues:\n  backoff: 2s${process.env.STALLED_INTERVAL ? `\n  stalledInterval: ${process.env.STALLED_INTERVAL}` : ''}`,
      enrich,
      `dashboard:\n  port: ${await freePort()}`,
      this.opts.extraConfig ?? '',
      `feeds:\n${this.site.feedUrls.map((u) => `  - url: ${u}\n    interval: ${this.opts.poll}`).join('\n')}`,
    ].filter(Boolean).join('\n') + '\n');
    this.fleet = new Fleet(this.dir, configPath);
    this.probe = new Probe(this.redis.url, this.sqlitePath);
    this.probe.watchStalled(this.redis.url);
    this.usedMemoryBefore = (await tryFor(() => this.probe.usedMemory(), 5000)) ?? 0;
  }

  /** Launches the processes, waits until each has its workers connected, then lets the site list items. */
  async launchAndRelease(): Promise<void> {
    // Paced with nothing released: the feeds list no item until every process is up, and the
    // discovery log starts empty (a previous case's release must not leak into this one).
    await this.site.configure('paced');
    this.fleet.launchAll(this.opts.processes);
    const ready = await this.waitWorkers(this.opts.processes, 300_000);
    if (!ready) {
      const c = await this.probe.workerCounts().catch((e: Error) => e.message);
      this.notes.push(`not every process connected its workers within 300 s (workers per queue: ${JSON.stringify(c)}) ${this.fleet.deaths().join('; ')}`);
    }
    await this.site.release(this.opts.ratePerS, this.opts.items);
    this.startedMs = Date.now();
    this.sampler = this.runSampler();
    this.log(`${this.opts.processes} processes ready; releasing ${this.opts.items} items at ${this.opts.ratePerS}/s`);
  }

  /** Every queue with at least `n` workers connected. */
  async waitWorkers(n: number, capMs: number): Promise<boolean> {
    const end = Date.now() + capMs;
    while (Date.now() < end) {
      const c = await this.probe.workerCounts().catch(() => null);
      if (c && QUEUE_NAMES.every((q) => c[q] >= n)) return true;
      await sleep(500);
    }
    return false;
  }

  private async runSampler(): Promise<void> {
    while (this.sampling) {
      const stored = this.probe.stored();
      const counts = await this.probe.counts().catch(() => null);
      this.fleet.sampleRss();
      const now = Date.now();
      for (const m of (await this.probe.activeJobs().catch(() => [] as JobMark[]))) {
        if (!m.token || this.tokensSeen.has(m.token)) continue;
        this.tokensSeen.add(m.token);
        this.holderNewToken.set(m.holder, now);
      }
      for (const [q, at] of Object.entries((await this.probe.stallChecks().catch(() => ({}))) as Record<QueueName, number | null>)) {
        const last = this.lastStallCheck.get(q as QueueName);
        if (at === null || at === last) continue;
        if (last !== undefined) this.stallCheckGapsMs.set(q as QueueName, [...(this.stallCheckGapsMs.get(q as QueueName) ?? []), at - last]);
        this.lastStallCheck.set(q as QueueName, at);
      }
      const prev = this.samples.at(-1);
      const [q, load] = Object.entries(counts?.byQueue ?? {}).sort((a, b) => b[1].inFlight - a[1].inFlight)[0] ?? [];
      const fullest = load && `${q} ${load.inFlight}: ${load.waiting} waiting, ${load.active} active, ${load.delayed} delayed`;
      this.samples.push({ atMs: Date.now(), stored: stored >= 0 ? stored : prev?.stored ?? 0, inFlight: counts?.inFlight ?? prev?.inFlight ?? -1, ...(fullest ? { fullest } : {}) });
      await sleep(1000);
    }
  }

  get stored(): number {
    return this.samples.at(-1)?.stored ?? 0;
  }

  /** Rows stored and jobs in flight at each `stepMs` since the release: where a long run spent its time. */
  timeline(stepMs = 60_000): string {
    const marks: string[] = [];
    for (let at = this.startedMs + stepMs, i = 0; i < this.samples.length; at += stepMs) {
      while (i < this.samples.length - 1 && this.samples[i + 1]!.atMs <= at) i++;
      const s = this.samples[i]!;
      marks.push(`${Math.round((at - this.startedMs) / 1000)} s ${s.stored}/${s.inFlight}${s.fullest ? ` (${s.fullest})` : ''}`);
      if (i === this.samples.length - 1 && s.atMs < at) break;
    }
    return `rows stored / jobs in flight (the fullest stage) every ${stepMs / 1000} s after the release: ${marks.join(', ')}`;
  }

  /** Until the site listed every released item, no job is in flight and no row was stored for `quietMs`; false at the cap. */
  async waitQuiescent(capMs: number, quietMs: number): Promise<boolean> {
    const end = Date.now() + capMs;
    let last = '';
    let since = Date.now();
    while (Date.now() < end) {
      await sleep(1000);
      // Quiet = no new row and no newly listed item; a feed listing only its last 50 items may
      // never list some released items, so "every item listed" cannot be the condition.
      const now = `${this.probe.stored()}/${Object.keys((await this.site.log()).discovered).length}`;
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      const c = await this.probe.counts().catch(() => null);
      const settled = !this.opts.settleLedger || this.probe.ledgerPending() === 0;
      if (c && c.inFlight === 0 && settled && this.allReleased() && Date.now() - since >= quietMs) return true;
    }
    return false;
  }

  /** Every item released by the site (plus one poll interval's slack), whether or not a poll listed it. */
  allReleased(): boolean {
    return Date.now() - this.startedMs > (this.opts.items / this.opts.ratePerS) * 1000 + 10_000;
  }

  /** After Redis accepts connections again at `upAtMs`: workers back to `before`, and stored rows moving. */
  async measureResume(fault: string, upAtMs: number, before: Record<QueueName, number>, capMs = 90_000): Promise<ResumeTrial> {
    const storedAtUp = this.probe.stored();
    let workersBackMs: number | null = null;
    let storedMovesMs: number | null = null;
    let nothingLeft = false;
    let missing = '';
    const end = upAtMs + capMs;
    while (Date.now() < end && (workersBackMs === null || (storedMovesMs === null && !nothingLeft))) {
      if (workersBackMs === null) {
        const c = await this.probe.workerCounts().catch(() => null);
        if (c) {
          const short = QUEUE_NAMES.filter((q) => c[q] < before[q]);
          missing = short.map((q) => `${q} ${c[q]}/${before[q]}`).join(', ');
          if (short.length === 0) workersBackMs = Date.now() - upAtMs;
        }
      }
      if (storedMovesMs === null) {
        const s = this.probe.stored();
        if (s > storedAtUp) storedMovesMs = Date.now() - upAtMs;
        else {
          const c = await this.probe.counts().catch(() => null);
          const listed = Object.keys((await this.site.log()).discovered).length;
          if (c && c.inFlight === 0 && this.allReleased() && listed >= Math.min(this.opts.items, this.site.feedUrls.length * 50) && Date.now() - upAtMs > 5000) nothingLeft = true;
        }
      }
      await sleep(250);
    }
    const t: ResumeTrial = { fault, workersBackMs, storedMovesMs, nothingLeft, missingWorkers: workersBackMs === null ? missing : '' };
    this.log(`${fault}: workers back ${fmt(workersBackMs)}, stored moves ${nothingLeft ? 'n/a (nothing left)' : fmt(storedMovesMs)}${t.missingWorkers ? ` (still missing: ${t.missingWorkers})` : ''}`);
    return t;
  }

  /**
   * kill -9 of `p` (respawned at once). The jobs it held are those active just before the kill that
   * BullMQ then found stalled (stc rose, or its 'stalled' event), and whose lock holder (a Worker
   * uuid) never took a new job after the kill: so jobs stalled by another fault at the same time (a
   * frozen Redis) are not counted, nor jobs a live worker parked (a dead process cannot move its
   * jobs; only the stall check does). The trial's time is from the kill until
   * the last of them runs again or finishes; per job it keeps when it was found stalled, and each
   * time is also given net of the Redis outages it overlapped. Resolves in the background.
   */
  async killWorker(p: FleetProcess, capMs = 120_000): Promise<{ trial: Promise<KillTrial> }> {
    const before = await this.probe.activeJobs().catch(() => [] as JobMark[]);
    const stcBefore = new Map<string, number>();
    await Promise.all(before.map(async (m) => stcBefore.set(`${m.queue}/${m.id}`, (await this.probe.jobState(m).catch(() => null))?.stalledCount ?? 0)));
    const atMs = await this.fleet.kill9(p);
    const trial = (async () => {
      const pending = new Map(before.map((m) => [`${m.queue}/${m.id}`, m]));
      const resolvedAt = new Map<string, { ms: number; held: boolean }>();
      const stalledSeen = new Map<string, number>();
      while (pending.size > 0 && Date.now() < atMs + capMs) {
        await sleep(500);
        // One round of reads for every pending job at once: a slow loop would inflate the times.
        const states = await Promise.all([...pending].map(async ([k, m]) => [k, m, await this.probe.jobState(m).catch(() => null)] as const));
        const now = Date.now();
        for (const [k, m, st] of states) {
          if (!st) continue;
          const event = this.probe.stalledAt.get(k);
          if (event !== undefined && event > atMs && !stalledSeen.has(k)) stalledSeen.set(k, event);
          // Stalled since the kill: stc rose, or a 'stalled' event after it (the probe's set holds every
          // job ever stalled, so a job stalled by an earlier fault and parked since is not the killed one's).
          const stalled = st.stalledCount > (stcBefore.get(k) ?? 0) || (event !== undefined && event > atMs) || (st.finishedOn > atMs && /stalled/i.test(st.failedReason));
          if (st.stalledCount > (stcBefore.get(k) ?? 0) && !stalledSeen.has(k)) stalledSeen.set(k, now);
          const rerun = st.processedOn > m.processedOn;
          if (st.gone || st.finishedOn > 0 || rerun) {
            // A job finishing after the kill was another process's; a stall marks it as the killed one's.
            // Redis's own clock (processedOn, finishedOn) when it has one: the poll's lag stays out of the figure.
            const doneAt = rerun ? st.processedOn : st.finishedOn > 0 ? st.finishedOn : now;
            // Only BullMQ's stall check moves a dead process's job out of active: a job that ran again
            // without being found stalled was parked (a host's turn, a retry) by a live worker.
            resolvedAt.set(k, { ms: Math.min(now, doneAt) - atMs, held: stalled });
            pending.delete(k);
          }
        }
      }
      const dead = (m: JobMark | undefined) => m !== undefined && (this.holderNewToken.get(m.holder) ?? 0) < atMs + 3000;
      const marks = new Map(before.map((m) => [`${m.queue}/${m.id}`, m]));
      const net = (ms: number) => ms - Object.values(this.outageOverlap(atMs, atMs + ms)).reduce((a, b) => a + b, 0);
      const jobs: HeldJob[] = [...resolvedAt].filter(([k, r]) => r.held && dead(marks.get(k))).map(([k, r]) => ({
        queue: marks.get(k)!.queue, stalledMs: stalledSeen.has(k) ? stalledSeen.get(k)! - atMs : null, rerunMs: r.ms, netMs: net(r.ms),
      }));
      const held = jobs.map((j) => j.rerunMs);
      // Still pending at the cap: the killed one's only if it still sits in active without a lock
      // (never found stalled) or was found stalled and has not run since; parked jobs are live workers'.
      const stuck = (await Promise.all([...pending].map(async ([k, m]) => (dead(m) && (stalledSeen.has(k) || (await this.probe.lockless(m).catch(() => false))) ? [m] : []))))
        .flat();
      const unresolved = stuck.length;
      const unresolvedJobs = await Promise.all(stuck.slice(0, 5).map((m) => this.probe.describeJob(m).catch((err: Error) => `${m.queue}/${m.id}: ${err.message}`)));
      const all = [...held, ...(unresolved > 0 ? [capMs] : [])];
      const recoveryMs = all.length ? Math.max(...all) : null;
      const t: KillTrial = {
        role: p.role, atMs, heldJobs: held.length + unresolved, recoveryMs, unresolved, unresolvedJobs, perJobMs: held, jobs,
        netRecoveryMs: recoveryMs === null ? null : net(recoveryMs),
        outageMs: recoveryMs === null ? {} : this.outageOverlap(atMs, atMs + recoveryMs),
      };
      return t;
    })();
    return { trial };
  }

  async teardown(): Promise<void> {
    this.sampling = false;
    await this.sampler;
    this.usedMemoryAfter = (await tryFor(() => this.probe.usedMemory(), 5000)) ?? 0;
    await this.fleet.stopAll();
  }

  async check(): Promise<CheckResult> {
    const log = await this.site.log();
    const paths = this.fleet.procs.map((p) => this.fleet.logPath(p.role));
    return check(this.site, log.discovered, this.sqlitePath, this.probe, paths);
  }

  async close(): Promise<void> {
    await this.probe.close();
    await this.proxy?.stop();
    await this.redis.stop();
  }
}

export const fmt = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
