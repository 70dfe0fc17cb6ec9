import { collapseRepeats } from './collapse-repeats.js';
import { describeError } from './errors.js';
import type { Logger } from './log.js';

export interface FaultLog {
  /** A fault reported by a BullMQ Worker or Queue ('error' event): logged, repeats collapsed. */
  fault(err: unknown, fields?: Record<string, unknown>): void;
  /** The Redis connection is back: one line closing the episode, if there was one. */
  recovered(): void;
}

export interface FaultLogOptions {
  summaryEveryMs?: number;
  now?: () => number;
}

/**
 * The process's one log of Redis client faults. While Redis is down every stage's Worker and
 * Queue reports each failed reconnect (224 lines in 30 s for 7 stages), so the first fault of each
 * kind is logged with its stage, then one summary with a count at most every 30 s, then one line
 * when the connection is back. Faults are told apart by message with numbers masked (ports, byte
 * counts), not by stage, so seven stages failing the same way make one line.
 */
export function faultLog(log: Logger, { summaryEveryMs = 30_000, now = Date.now }: FaultLogOptions = {}): FaultLog {
  const repeats = collapseRepeats({ summaryEveryMs });
  return {
    fault(err, fields = {}) {
      const reason = describeError(err);
      const verdict = repeats.note(reason.replace(/\d+/g, '#'), now());
      if (verdict.kind === 'first') log.error({ ...fields, err: reason }, 'worker error');
      else if (verdict.kind === 'summary') log.warn({ repeats: verdict.repeats, sinceMs: verdict.sinceMs, err: reason }, 'worker errors repeated');
    },
    recovered() {
      const end = repeats.clear(now());
      if (end) log.info({ durationMs: end.durationMs, errors: end.total, unreported: end.unreported }, 'redis connection back');
    },
  };
}
