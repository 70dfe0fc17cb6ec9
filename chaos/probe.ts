// What the chaos run reads while faults fly: queue counts, workers connected per queue, the jobs
// active right now and each job's hash, Redis used_memory, stored rows. Its own Redis connection
// times out commands (a frozen Redis must not freeze the harness) and reconnects quickly.
import Database from 'better-sqlite3';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { parseConfig } from '../config/load.js';
import { hashTagPrefix } from '../queues/connection.js';
import { QUEUE_NAMES, type QueueName } from '../queues/names.js';
import { closeQueues, createQueues, type Queues } from '../queues/queues.js';
import { jobsOf } from '../workers/ledger.js';

export const PREFIX = 'newsloom';
/** The stages whose jobs carry an item (everything but the feed polls). */
export const ITEM_QUEUES = QUEUE_NAMES.filter((q) => q !== 'feeds');

export interface Counts {
  /** Waiting, active, prioritized and delayed jobs of the item stages, plus feed polls running or waiting. */
  inFlight: number;
  active: number;
  failed: number;
  /** Per stage queue: jobs in flight, and how many of those wait, run and sit delayed (retries, parked). */
  byQueue: Partial<Record<QueueName, QueueLoad>>;
}

export interface QueueLoad {
  inFlight: number;
  waiting: number;
  active: number;
  delayed: number;
}

export interface JobMark {
  queue: QueueName;
  id: string;
  processedOn: number;
  /** The BullMQ Worker (its uuid, the lock token's first part) holding the job's lock. */
  holder: string;
  /** The whole lock token, `<worker uuid>:<n>`: n grows with every job that Worker takes. */
  token: string;
}

export interface JobState {
  gone: boolean;
  processedOn: number;
  finishedOn: number;
  stalledCount: number;
  failedReason: string;
}

export class Probe {
  readonly redis: Redis;
  readonly queues: Queues;
  private db: Database.Database | null = null;
  private events: QueueEvents[] = [];
  /** Job ids BullMQ announced as stalled (moved back to wait, or failed for stalling too often). */
  readonly stalled = new Set<string>();
  /** Job id → when its last `stalled` event reached the probe. */
  readonly stalledAt = new Map<string, number>();
  stalledEvents = 0;

  constructor(redisUrl: string, private readonly sqlitePath: string) {
    this.redis = new Redis(redisUrl, { commandTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => 200, connectionName: 'chaos-probe', lazyConnect: false });
    this.redis.on('error', () => {});
    this.queues = createQueues(this.redis, parseConfig({ redis: { prefix: PREFIX } }, 'chaos'));
    for (const q of Object.values(this.queues)) q.on('error', () => {});
  }

  /** Listens to every queue's events for `stalled`. */
  watchStalled(redisUrl: string): void {
    for (const name of QUEUE_NAMES) {
      const qe = new QueueEvents(name, { connection: { url: redisUrl, maxRetriesPerRequest: null, retryStrategy: () => 500 }, prefix: hashTagPrefix(PREFIX) });
      qe.on('error', () => {});
      qe.on('stalled', ({ jobId }) => {
        this.stalledEvents++;
        this.stalled.add(`${name}/${jobId}`);
        this.stalledAt.set(`${name}/${jobId}`, Date.now());
      });
      this.events.push(qe);
    }
  }

  async counts(): Promise<Counts> {
    const all = await Promise.all(QUEUE_NAMES.map((q) => this.queues[q].getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'waiting-children')));
    let inFlight = 0;
    let active = 0;
    let failed = 0;
    const byQueue: Partial<Record<QueueName, QueueLoad>> = {};
    QUEUE_NAMES.forEach((q, i) => {
      const c = all[i]!;
      const load = { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
      // The feeds queue's delayed jobs are the schedulers' next polls, not work in flight.
      byQueue[q] = { ...load, inFlight: load.waiting + load.active + (q === 'feeds' ? 0 : load.delayed) };
      inFlight += byQueue[q].inFlight;
      active += c.active ?? 0;
      failed += c.failed ?? 0;
    });
    return { inFlight, active, failed, byQueue };
  }

  /** Workers connected per queue (BullMQ's CLIENT LIST by connection name). */
  async workerCounts(): Promise<Record<QueueName, number>> {
    const n = await Promise.all(QUEUE_NAMES.map((q) => this.queues[q].getWorkersCount()));
    return Object.fromEntries(QUEUE_NAMES.map((q, i) => [q, n[i]!])) as Record<QueueName, number>;
  }

  async activeJobs(): Promise<JobMark[]> {
    const out: JobMark[] = [];
    for (const q of QUEUE_NAMES) {
      const jobs = await this.queues[q].getJobs(['active'], 0, -1);
      for (const j of jobs) if (j?.id) out.push({ queue: q, id: j.id, processedOn: j.processedOn ?? 0, holder: '', token: '' });
    }
    if (out.length === 0) return out;
    const tokens = await this.redis.mget(...out.map((m) => `${hashTagPrefix(PREFIX)}:${m.queue}:${m.id}:lock`));
    out.forEach((m, i) => {
      m.token = tokens[i] ?? '';
      m.holder = m.token.split(':')[0] ?? '';
    });
    return out;
  }

  async jobState(m: JobMark): Promise<JobState> {
    const [processedOn, finishedOn, stc, failedReason] = await this.redis.hmget(`${hashTagPrefix(PREFIX)}:${m.queue}:${m.id}`, 'processedOn', 'finishedOn', 'stc', 'failedReason');
    const exists = (await this.redis.exists(`${hashTagPrefix(PREFIX)}:${m.queue}:${m.id}`)) === 1;
    return { gone: !exists, processedOn: Number(processedOn ?? 0), finishedOn: Number(finishedOn ?? 0), stalledCount: Number(stc ?? 0), failedReason: failedReason ?? '' };
  }

  /** Whether the job is in its queue's active list with no lock: left there by a process that died. */
  async lockless(m: JobMark): Promise<boolean> {
    const base = `${hashTagPrefix(PREFIX)}:${m.queue}`;
    const [inActive, lock] = await Promise.all([this.redis.lpos(`${base}:active`, m.id), this.redis.exists(`${base}:${m.id}:lock`)]);
    return inActive !== null && lock === 0;
  }

  /** One job as it stands, for a report line: the lists holding it, its timestamps against the mark's, its lock. */
  async describeJob(m: JobMark): Promise<string> {
    const base = `${hashTagPrefix(PREFIX)}:${m.queue}`;
    const k = `${base}:${m.id}`;
    const [h, lock, lockTtl, inActive, inWait, delayed, completed, failed] = await Promise.all([
      this.redis.hmget(k, 'processedOn', 'finishedOn', 'stc', 'atm', 'timestamp'),
      this.redis.get(`${k}:lock`), this.redis.pttl(`${k}:lock`),
      this.redis.lpos(`${base}:active`, m.id), this.redis.lpos(`${base}:wait`, m.id),
      this.redis.zscore(`${base}:delayed`, m.id), this.redis.zscore(`${base}:completed`, m.id), this.redis.zscore(`${base}:failed`, m.id),
    ]);
    const lists = [inActive !== null && 'active', inWait !== null && `wait@${inWait}`, delayed !== null && 'delayed', completed !== null && 'completed', failed !== null && 'failed'].filter(Boolean).join('+') || 'no list';
    const [processedOn, finishedOn, stc, atm] = h;
    return `${m.queue}/${m.id}: ${lists}; processedOn ${processedOn ?? '-'} (mark ${m.processedOn}), finishedOn ${finishedOn ?? '-'}, stc ${stc ?? 0}, atm ${atm ?? 0}; ` +
      `lock ${lock ? `${lock.split(':')[0]} (${lockTtl} ms)` : 'none'}, mark's holder ${m.holder || 'none (no lock at the kill)'}`;
  }

  /**
   * Per queue, when its last stall check ran (BullMQ's `stalled-check` key holds that moment and
   * lives one stalledInterval, so one check at a time runs per queue); null when none is recent.
   */
  async stallChecks(): Promise<Record<QueueName, number | null>> {
    const v = await this.redis.mget(...QUEUE_NAMES.map((q) => `${hashTagPrefix(PREFIX)}:${q}:stalled-check`));
    return Object.fromEntries(QUEUE_NAMES.map((q, i) => [q, v[i] ? Number(v[i]) : null])) as Record<QueueName, number | null>;
  }

  async usedMemory(): Promise<number> {
    return Number(/used_memory:(\d+)/.exec(await this.redis.info('memory'))?.[1] ?? 0);
  }

  /** Failed reads of the row count, and the last error: a stuck count must not pass for a stuck pipeline. */
  storedReadErrors = 0;
  lastStoredError = '';
  private lastStored = 0;

  /** Rows in `articles`; the last count read when the database cannot be read right now. */
  stored(): number {
    try {
      this.db ??= new Database(this.sqlitePath, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 2000');
      this.lastStored = (this.db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    } catch (err) {
      this.storedReadErrors++;
      this.lastStoredError = `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`;
      this.db?.close();
      this.db = null;
    }
    return this.lastStored;
  }

  /** Items the ledger's reconciler has enqueued again so far (sum of accepted_items.requeues); -1 when unreadable. */
  ledgerRequeues(): number {
    return this.ledgerNumber('SELECT coalesce(sum(requeues), 0) AS n FROM accepted_items');
  }

  /** Items accepted and not yet settled (stored, skipped or failed); -1 when unreadable. */
  ledgerPending(): number {
    return this.ledgerNumber("SELECT count(*) AS n FROM accepted_items WHERE state = 'pending'");
  }

  /** Item keys pending in the ledger (all, or those of `among` still pending); [] when unreadable. */
  ledgerPendingKeys(among?: readonly string[]): string[] {
    try {
      this.db ??= new Database(this.sqlitePath, { readonly: true, fileMustExist: true });
      const keys = (this.db.prepare("SELECT item_key AS k FROM accepted_items WHERE state = 'pending'").all() as Array<{ k: string }>).map((r) => r.k);
      if (!among) return keys;
      const set = new Set(keys);
      return among.filter((k) => set.has(k));
    } catch {
      return among ? [...among] : [];
    }
  }

  /** Of these ledger items, those with no job in any item queue, read as the reconciler reads them (workers/ledger.ts#jobsOf). */
  async withoutJob(keys: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < keys.length; i += 16) {
      const fates = await Promise.all(keys.slice(i, i + 16).map(async (k) => [k, (await jobsOf(this.queues, k)).kind] as const));
      out.push(...fates.filter(([, kind]) => kind === 'none').map(([k]) => k));
    }
    return out;
  }

  private ledgerNumber(sql: string): number {
    try {
      this.db ??= new Database(this.sqlitePath, { readonly: true, fileMustExist: true });
      return (this.db.prepare(sql).get() as { n: number }).n;
    } catch {
      return -1;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.events.map((e) => e.close().catch(() => {})));
    await closeQueues(this.queues).catch(() => {});
    this.redis.disconnect();
    this.db?.close();
  }
}

/** Retries `fn` until it answers, or answers null after `capMs`. */
export async function tryFor<T>(fn: () => Promise<T>, capMs: number, stepMs = 250): Promise<T | null> {
  const end = Date.now() + capMs;
  for (;;) {
    try {
      return await fn();
    } catch {
      if (Date.now() > end) return null;
      await new Promise((r) => setTimeout(r, stepMs));
    }
  }
}
