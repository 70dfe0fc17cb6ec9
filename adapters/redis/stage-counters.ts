import type { Redis } from 'ioredis';
import { key } from '../../queues/connection.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Minute buckets live in one hash per stage and hour, kept a little over the hour the page shows. */
const HOUR_TTL_S = 2 * 3600 + 300;
/** New articles per feed: one hash per UTC day, kept for the week the page averages over. */
const DAY_TTL_S = 8 * 86_400;

/**
 * Counts shared by every worker process in Redis, for the status page: jobs completed per stage
 * per minute (in-process prom-client counters only see one process), and new articles per feed
 * per day. Hashes of buckets with a TTL, so nothing needs cleaning up.
 */
export interface StageCounters {
  /** One completed job of `stage`; `newArticleOf` names the feed when it stored a new article. */
  completed(stage: string, newArticleOf?: string, at?: number): Promise<void>;
  /** Completed jobs of each stage in each of the last `minutes` minutes, oldest first. */
  perMinute(stages: readonly string[], minutes: number, now?: number): Promise<Record<string, number[]>>;
  /** New articles per feed on each of the last `days` UTC days, oldest first (today last). */
  newArticlesPerDay(days: number, now?: number): Promise<Map<string, number[]>>;
}

export function redisStageCounters(redis: Redis, prefix: string): StageCounters {
  const hourKey = (stage: string, hour: number) => key(prefix, 'throughput', stage, String(hour));
  const dayKey = (day: number) => key(prefix, 'feed-new', new Date(day * DAY_MS).toISOString().slice(0, 10));
  return {
    async completed(stage, newArticleOf, at = Date.now()) {
      const k = hourKey(stage, Math.floor(at / HOUR_MS));
      const tx = redis.multi().hincrby(k, String(Math.floor(at / MINUTE_MS)), 1).expire(k, HOUR_TTL_S);
      if (newArticleOf !== undefined) {
        const d = dayKey(Math.floor(at / DAY_MS));
        tx.hincrby(d, newArticleOf, 1).expire(d, DAY_TTL_S);
      }
      await tx.exec();
    },
    async perMinute(stages, minutes, now = Date.now()) {
      const last = Math.floor(now / MINUTE_MS);
      const first = last - minutes + 1;
      const hours: number[] = [];
      for (let h = Math.floor((first * MINUTE_MS) / HOUR_MS); h <= Math.floor(now / HOUR_MS); h++) hours.push(h);
      const tx = redis.multi();
      for (const stage of stages) for (const h of hours) tx.hgetall(hourKey(stage, h));
      const replies = (await tx.exec()) ?? [];
      const out: Record<string, number[]> = {};
      stages.forEach((stage, i) => {
        const buckets = new Array<number>(minutes).fill(0);
        for (let j = 0; j < hours.length; j++) {
          const fields = (replies[i * hours.length + j]?.[1] ?? {}) as Record<string, string>;
          for (const [minute, n] of Object.entries(fields)) {
            const at = Number(minute) - first;
            if (at >= 0 && at < minutes) buckets[at] = (buckets[at] ?? 0) + Number(n);
          }
        }
        out[stage] = buckets;
      });
      return out;
    },
    async newArticlesPerDay(days, now = Date.now()) {
      const today = Math.floor(now / DAY_MS);
      const tx = redis.multi();
      for (let d = today - days + 1; d <= today; d++) tx.hgetall(dayKey(d));
      const replies = (await tx.exec()) ?? [];
      const out = new Map<string, number[]>();
      replies.forEach(([, fields], i) => {
        for (const [feed, n] of Object.entries((fields ?? {}) as Record<string, string>)) {
          const counts = out.get(feed) ?? new Array<number>(days).fill(0);
          counts[i] = Number(n);
          out.set(feed, counts);
        }
      });
      return out;
    },
  };
}
