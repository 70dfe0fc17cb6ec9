import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type Labels = Record<string, string>;

interface MetricSpec {
  type: 'counter' | 'histogram';
  help: string;
  labels: readonly string[];
  /** Histogram buckets, in seconds. */
  buckets?: readonly number[];
}

/**
 * Every metric newsloom exports, declared up front so /metrics lists each one (HELP and TYPE)
 * from the first scrape, and grafana/newsloom-dashboard.json can rely on the names
 * (test/dashboard/grafana.test.ts checks them against a real scrape). Durations are histograms in
 * seconds, as Prometheus names them; callers pass milliseconds to observe().
 */
export const METRICS = {
  newsloom_jobs_total: { type: 'counter', help: 'Jobs run per stage, by outcome: completed, retried, failed (no more tries), delayed (parked for a host).', labels: ['stage', 'outcome'] },
  newsloom_jobs_held_total: { type: 'counter', help: 'Jobs that waited before starting because their stage\'s next queue held queues.highWater jobs or more (backpressure).', labels: ['stage'] },
  newsloom_stage_duration_seconds: {
    type: 'histogram', help: 'Time one job of a stage took, whatever its outcome.', labels: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  newsloom_fetch_responses_total: {
    type: 'counter',
    help: 'HTTP answers to our GETs by request (feed, page, robots) and status class (2xx, 3xx, 4xx, 5xx, or error when no answer came: network fault, timeout, refused address).',
    labels: ['request', 'status'],
  },
  newsloom_articles_stored_total: { type: 'counter', help: 'Articles written to storage, by change: created, updated, unchanged.', labels: ['change'] },
  newsloom_duplicates_total: { type: 'counter', help: 'Articles found to duplicate an earlier one, by kind: exact (same content hash) or near (MinHash similarity).', labels: ['kind'] },
  newsloom_feed_errors_total: { type: 'counter', help: 'Failed feed polls (each try), by error code.', labels: ['code'] },
  newsloom_extraction_failures_total: { type: 'counter', help: 'Failed extraction tries, by error code (NL_EXTRACT_TIMEOUT, NL_PAGE_TOO_LARGE, ...).', labels: ['reason'] },
  newsloom_pages_skipped_total: { type: 'counter', help: 'Pages that are not articles (not-an-article, empty, paywall, not HTML), by reason.', labels: ['reason'] },
  newsloom_feed_items_total: { type: 'counter', help: 'Feed items found by polls, by outcome (new: queued for fetching).', labels: ['outcome'] },
  newsloom_items_requeued_total: { type: 'counter', help: 'Accepted items the reconciler enqueued again: pending longer than ledger.staleAfter with no job in any queue (Redis lost it).', labels: [] },
  newsloom_event_delivery_lag_seconds: {
    type: 'histogram', help: 'Time from an event being written to the storage outbox to its publication on the Redis stream.', labels: [],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  },
} as const satisfies Record<string, MetricSpec>;

/** Gauge of jobs per queue and state, read from BullMQ when /metrics is scraped. */
export const QUEUE_JOBS_METRIC = 'newsloom_queue_jobs';

/** Per queue, a count per state (queues/queue-counts.ts#allQueueCounts). */
export type QueueCountsReader = () => Promise<Record<string, object>>;

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag, GC): on by default. */
  defaults?: boolean;
}

/**
 * Counters and histograms of one process in its own prom-client Registry (so two pipelines in one
 * test process never share series), rendered at /metrics. Every worker process counts its own;
 * Prometheus sums them over processes.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  // The same counts, readable synchronously (the `start --once` summary, tests).
  private readonly totals = new Map<string, number>();
  private queueCounts: QueueCountsReader | null = null;

  constructor(opts: MetricsOptions = {}) {
    if (opts.defaults ?? true) collectDefaultMetrics({ register: this.registry });
    for (const [name, spec] of Object.entries(METRICS) as Array<[string, MetricSpec]>) this.declare(name, spec);
    const self = this;
    new Gauge({
      name: QUEUE_JOBS_METRIC,
      help: 'Jobs per queue and state (waiting, active, delayed, failed, completed), read from Redis at scrape time.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        if (!self.queueCounts) return;
        this.reset();
        for (const [queue, states] of Object.entries(await self.queueCounts())) {
          for (const [state, n] of Object.entries(states)) if (typeof n === 'number') this.set({ queue, state }, n);
        }
      },
    });
  }

  /** Where the queue gauge reads its counts at scrape time (the dashboard sets it). */
  watchQueues(read: QueueCountsReader): void {
    this.queueCounts = read;
  }

  inc(name: string, labels: Labels, by = 1): void {
    if (by === 0) return;
    this.counter(name, labels).inc(labels, by);
    const k = series(name, labels);
    this.totals.set(k, (this.totals.get(k) ?? 0) + by);
  }

  /** Records a duration given in milliseconds; histograms are exported in seconds. */
  observe(name: string, labels: Labels, ms: number): void {
    let h = this.histograms.get(name);
    if (!h) {
      h = new Histogram({ name, help: name, labelNames: Object.keys(labels), registers: [this.registry] });
      this.histograms.set(name, h);
    }
    h.observe(labels, ms / 1000);
  }

  get(name: string, labels: Labels): number {
    return this.totals.get(series(name, labels)) ?? 0;
  }

  /** Sum of a counter over every label set. */
  total(name: string): number {
    let sum = 0;
    for (const [k, v] of this.totals) if (k === name || k.startsWith(`${name}{`)) sum += v;
    return sum;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private declare(name: string, spec: MetricSpec): void {
    const common = { name, help: spec.help, labelNames: [...spec.labels], registers: [this.registry] };
    if (spec.type === 'counter') this.counters.set(name, new Counter(common));
    else this.histograms.set(name, new Histogram({ ...common, ...(spec.buckets ? { buckets: [...spec.buckets] } : {}) }));
  }

  /** A metric not in METRICS is created on first use, with that call's label names. */
  private counter(name: string, labels: Labels): Counter {
    let c = this.counters.get(name);
    if (!c) {
      c = new Counter({ name, help: name, labelNames: Object.keys(labels), registers: [this.registry] });
      this.counters.set(name, c);
    }
    return c;
  }
}

function series(name: string, labels: Labels): string {
  const parts = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** The `status` label of newsloom_fetch_responses_total: the status family, or "error" when no answer came. */
export function statusClass(status: number | null): string {
  return status === null || status < 100 || status > 599 ? 'error' : `${Math.floor(status / 100)}xx`;
}
