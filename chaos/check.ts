// The Jepsen-style total-queue check of one case: every item the site listed in a 200 feed
// response (accepted) must be stored, or have failed or been skipped with a readable reason.
//   lost        = accepted − stored − failed_with_reason
//   duplicated  = item URLs with more than one row
//   dup_events  = article ids with more than one "stored" event (article.created / article.duplicate)
//                 in the events stream, and likewise in the outbox table
//   unexpected  = rows whose URL the site never listed
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { eventStreamKey } from '../adapters/redis/event-stream.js';
import type { BenchSite } from '../bench/e2e/site-server.js';
import type { ItemKind } from '../bench/e2e/site-plan.js';
import { sha1Hex } from '../lib/sha1.js';
import { key } from '../queues/connection.js';
import { itemKey } from '../stages/feeds/select-new-items.js';
import { PREFIX, ITEM_QUEUES, type Probe } from './probe.js';

const STORED_EVENTS = new Set(['article.created', 'article.duplicate']);

export interface LostItem {
  url: string;
  kind: ItemKind | 'unknown';
  /** A job for it still sits in a queue (the run was cut off at its cap), else none anywhere. */
  inQueue: string | null;
}

export interface CheckResult {
  accepted: number;
  stored: number;
  rows: number;
  failedWithReason: number;
  skipped: number;
  lost: LostItem[];
  duplicated: number;
  dupEventsStream: number;
  dupEventsOutbox: number;
  /** Stream entries carrying the same event id twice (a publish repeated after a crash). */
  republished: number;
  streamEntries: number;
  unexpected: string[];
  /** Accepted items neither stored nor skipped whose article URL is in the seen set: no poll will fetch them again. */
  seenNotStored: string[];
  reasons: Array<[string, number]>;
  integrity: string;
  /** Log lines at error level or above, by message. */
  errors: Array<[string, number]>;
  /** The storage ledger of accepted items at the end (null before schema version 6): rows per state, and requeues in all. */
  ledger: { pending: number; stored: number; skipped: number; failed: number; requeued: number } | null;
}

interface LedgerFacts {
  counts: NonNullable<CheckResult['ledger']>;
  failed: Map<string, string>;
  skipped: Map<string, string>;
}

/** The ledger's rows: failed and skipped items with their reasons by item URL (the fetch payload's), and the counts. */
function readLedger(db: Database.Database): LedgerFacts | null {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accepted_items'`).get()) return null;
  const rows = db.prepare(`SELECT json_extract(payload, '$.url') AS url, state, reason, requeues FROM accepted_items`).all() as Array<{ url: string; state: string; reason: string | null; requeues: number }>;
  const facts: LedgerFacts = { counts: { pending: 0, stored: 0, skipped: 0, failed: 0, requeued: 0 }, failed: new Map(), skipped: new Map() };
  for (const r of rows) {
    if (r.state === 'pending' || r.state === 'stored' || r.state === 'skipped' || r.state === 'failed') facts.counts[r.state]++;
    facts.counts.requeued += r.requeues;
    if (r.state === 'failed') facts.failed.set(r.url, r.reason ?? 'failed');
    if (r.state === 'skipped') facts.skipped.set(r.url, `skipped: ${(r.reason ?? '').split(':')[0]}`);
  }
  return facts;
}

interface LogFacts {
  failed: Map<string, string>;
  skipped: Map<string, string>;
  errors: Map<string, number>;
}

/** Reasons from the processes' logs: "job failed" (the last try) and "page skipped" lines carry the item URL. */
export function readLogs(paths: string[]): LogFacts {
  const facts: LogFacts = { failed: new Map(), skipped: new Map(), errors: new Map() };
  for (const path of paths) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const url = typeof o.url === 'string' ? o.url : null;
      if (o.msg === 'job failed' && url && o.stage !== 'feeds') facts.failed.set(url, reasonText(o.err));
      if (o.msg === 'page skipped' && url) facts.skipped.set(url, `skipped: ${String(o.reason)}`);
      if (typeof o.level === 'number' && o.level >= 50) {
        const m = `${String(o.msg)}${o.err ? `: ${reasonText(o.err).slice(0, 80)}` : ''}`;
        facts.errors.set(m, (facts.errors.get(m) ?? 0) + 1);
      }
    }
  }
  return facts;
}

function reasonText(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; code?: unknown };
    return `${e.code ? `${String(e.code)}: ` : ''}${String(e.message ?? JSON.stringify(err))}`;
  }
  return String(err);
}

/** "CODE: message" → CODE; else the message without URLs and numbers, short. */
export function reasonKey(reason: string): string {
  const code = /^([A-Z][A-Z0-9_]{1,40}):/.exec(reason)?.[1];
  if (code) return code;
  return reason.replace(/https?:\/\/\S+/g, '<url>').replace(/\d+/g, 'N').slice(0, 60);
}

export async function check(site: BenchSite, accepted: Record<string, number>, sqlitePath: string, probe: Probe, logPaths: string[]): Promise<CheckResult> {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const rows = db.prepare('SELECT url, canonical_url FROM articles').all() as Array<{ url: string; canonical_url: string }>;
  const outboxDup = (db.prepare(`SELECT count(*) AS n FROM (SELECT article_id FROM outbox WHERE type IN ('article.created','article.duplicate') GROUP BY article_id HAVING count(*) > 1)`).get() as { n: number }).n;
  const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  const ledger = readLedger(db);
  db.close();

  const perUrl = new Map<string, number>();
  const storedUrls = new Set<string>();
  for (const r of rows) {
    perUrl.set(r.url, (perUrl.get(r.url) ?? 0) + 1);
    storedUrls.add(r.url);
    storedUrls.add(r.canonical_url);
  }

  // Failed jobs still in Redis (a Redis restarted empty forgets them: the logs still have them).
  const logs = readLogs(logPaths);
  // The ledger keeps reasons a Redis restarted empty forgot (failed sets) and logs may miss (a killed process's last lines).
  const failed = new Map([...(ledger?.failed ?? []), ...logs.failed]);
  const skippedWhy = new Map([...(ledger?.skipped ?? []), ...logs.skipped]);
  const inQueue = new Map<string, string>();
  for (const q of ITEM_QUEUES) {
    for (const job of await probe.queues[q].getJobs(['failed'], 0, -1)) {
      const url = (job?.data as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string' && job?.failedReason) failed.set(url, job.failedReason);
    }
    for (const job of await probe.queues[q].getJobs(['waiting', 'active', 'delayed', 'prioritized'], 0, -1)) {
      const url = (job?.data as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string') inQueue.set(url, q);
    }
  }

  const kindOf = new Map(site.plan.items.map((i) => [site.itemUrl(i), i.kind]));
  const reasons = new Map<string, number>();
  let failedWithReason = 0;
  let skipped = 0;
  const lost: LostItem[] = [];
  for (const url of Object.keys(accepted)) {
    if (storedUrls.has(url)) continue;
    const f = failed.get(url);
    const s = skippedWhy.get(url);
    if (f || s) {
      if (f) failedWithReason++;
      else skipped++;
      const k = f ? reasonKey(f) : s!;
      reasons.set(k, (reasons.get(k) ?? 0) + 1);
      continue;
    }
    lost.push({ url, kind: kindOf.get(url) ?? 'unknown', inQueue: inQueue.get(url) ?? null });
  }

  // Marked seen without a row (or a skip): the next poll will not fetch them again.
  const seenNotStored: string[] = [];
  const missing = Object.keys(accepted).filter((u) => !storedUrls.has(u) && !skippedWhy.has(u));
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const scores = await probe.redis.zmscore(key(PREFIX, 'seen-urls'), ...chunk.map((u) => sha1Hex(itemKey({ url: u, guid: u } as Parameters<typeof itemKey>[0]))));
    chunk.forEach((u, j) => scores[j] !== null && seenNotStored.push(u));
  }

  // Stored events per article in the stream, and event ids appended twice.
  const entries = await probe.redis.xrange(eventStreamKey(PREFIX), '-', '+');
  const perArticle = new Map<string, number>();
  const perEventId = new Map<string, number>();
  for (const [, fields] of entries) {
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
    const id = f.get('id') ?? '';
    perEventId.set(id, (perEventId.get(id) ?? 0) + 1);
    const article = f.get('articleId');
    if (article && STORED_EVENTS.has(f.get('type') ?? '')) perArticle.set(article, (perArticle.get(article) ?? 0) + 1);
  }

  return {
    accepted: Object.keys(accepted).length,
    stored: [...Object.keys(accepted)].filter((u) => storedUrls.has(u)).length,
    rows: rows.length,
    failedWithReason,
    skipped,
    lost,
    duplicated: [...perUrl.values()].filter((n) => n > 1).length,
    dupEventsStream: [...perArticle.values()].filter((n) => n > 1).length,
    dupEventsOutbox: outboxDup,
    republished: [...perEventId.values()].filter((n) => n > 1).length,
    streamEntries: entries.length,
    unexpected: [...perUrl.keys()].filter((u) => accepted[u] === undefined),
    seenNotStored,
    reasons: [...reasons].sort((a, b) => b[1] - a[1]),
    integrity,
    errors: [...logs.errors].sort((a, b) => b[1] - a[1]),
    ledger: ledger?.counts ?? null,
  };
}
