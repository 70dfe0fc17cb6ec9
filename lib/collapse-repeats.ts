/**
 * What to log for one more occurrence of a fault: its first line (the first of its kind in this
 * episode), a summary of the repeats since the last line, or nothing.
 */
export type RepeatVerdict =
  | { kind: 'first' }
  | { kind: 'summary'; repeats: number; sinceMs: number }
  | { kind: 'quiet' };

/** How an episode ended: how long it lasted, repeats not yet reported in a line, and the total. */
export interface EpisodeEnd {
  durationMs: number;
  unreported: number;
  total: number;
}

export interface RepeatCollapser {
  /** One more occurrence of the fault `key` at `nowMs` (epoch ms): what to log for it. */
  note(key: string, nowMs: number): RepeatVerdict;
  /** The cause went away (the connection is back): the episode's end, or null if there was none. */
  clear(nowMs: number): EpisodeEnd | null;
}

export interface CollapseOptions {
  /** A summary line at most this often while the faults go on. */
  summaryEveryMs: number;
  /** Kinds of fault given their own first line per episode; beyond that they count as repeats. */
  maxKinds?: number;
}

/**
 * Collapses a burst of repeated faults (every stage's Redis connection failing on every reconnect
 * attempt while Redis is down) into a first line per kind of fault, a summary with a count at
 * most every `summaryEveryMs`, and one line when the cause clears. Pure: the caller passes the
 * time and writes the lines.
 */
export function collapseRepeats({ summaryEveryMs, maxKinds = 20 }: CollapseOptions): RepeatCollapser {
  let episode: { startedMs: number; lastLineMs: number; unreported: number; total: number; kinds: Set<string> } | null = null;
  return {
    note(key, nowMs) {
      if (episode === null) {
        episode = { startedMs: nowMs, lastLineMs: nowMs, unreported: 0, total: 1, kinds: new Set([key]) };
        return { kind: 'first' };
      }
      episode.total++;
      if (!episode.kinds.has(key) && episode.kinds.size < maxKinds) {
        episode.kinds.add(key);
        return { kind: 'first' };
      }
      episode.unreported++;
      if (nowMs - episode.lastLineMs < summaryEveryMs) return { kind: 'quiet' };
      const verdict = { kind: 'summary' as const, repeats: episode.unreported, sinceMs: nowMs - episode.lastLineMs };
      episode.lastLineMs = nowMs;
      episode.unreported = 0;
      return verdict;
    },
    clear(nowMs) {
      if (episode === null) return null;
      const end = { durationMs: nowMs - episode.startedMs, unreported: episode.unreported, total: episode.total };
      episode = null;
      return end;
    },
  };
}
