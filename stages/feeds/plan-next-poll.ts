export interface PollPolicy {
  intervalMs: number;
  maxBackoffMs: number;
  /** Cap on what a feed may ask for: a publisher's max-age of a year must not silence a feed. */
  maxIntervalMs: number;
}

export type PollOutcome =
  | { kind: 'ok' | 'not-modified'; askedMs: ReadonlyArray<number | null> }
  | { kind: 'error'; consecutiveFailures: number; askedMs: ReadonlyArray<number | null> };

/**
 * When a feed is next due, in epoch ms. After a success: the configured interval, or longer when
 * the feed asks for it (Cache-Control max-age, Retry-After, <ttl>, sy:updatePeriod), capped at
 * maxIntervalMs. After failures: the interval doubled per consecutive failure with ±20% jitter
 * (so feeds that failed together do not retry together), capped at maxBackoffMs, and never less
 * than a Retry-After. A feed is never abandoned: the cap bounds the wait.
 */
export function planNextPoll(outcome: PollOutcome, policy: PollPolicy, nowMs: number, random: () => number = Math.random): number {
  const asked = Math.min(policy.maxIntervalMs, Math.max(0, ...outcome.askedMs.filter((v): v is number => v !== null)));
  if (outcome.kind !== 'error') return nowMs + Math.max(policy.intervalMs, asked);
  const exponent = Math.min(Math.max(outcome.consecutiveFailures - 1, 0), 30);
  const base = Math.min(policy.maxBackoffMs, policy.intervalMs * 2 ** exponent);
  const jittered = Math.min(policy.maxBackoffMs, base * (0.8 + 0.4 * random()));
  return nowMs + Math.round(Math.max(jittered, asked));
}
