import type { Logger } from '../../lib/log.js';
import type { Storage } from './storage.js';

export interface RetentionOptions {
  /** Articles first stored longer ago than this are removed. */
  retentionMs: number;
  /** How often to look for them. */
  everyMs?: number;
  log: Logger;
}

/**
 * Applies `storage.retention` now and then every `everyMs` (default an hour) while the storage is
 * open, in batches (Storage.removeStoredBefore, then removeSettledBefore for the ledger). A failed run is logged and tried again next time.
 */
export function startRetention(storage: Storage, { retentionMs, everyMs = 3_600_000, log }: RetentionOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      const cutoff = new Date(Date.now() - retentionMs).toISOString();
      try {
        const removed = await storage.removeStoredBefore(cutoff);
        if (removed > 0) log.info({ removed, cutoff }, 'old articles removed');
        // Settled rows of the ledger of accepted items go with the same cutoff; pending ones stay.
        const settled = await storage.removeSettledBefore(cutoff);
        if (settled > 0) log.info({ removed: settled, cutoff }, 'old settled items removed from the ledger');
      } catch (err) {
        log.warn({ err, cutoff }, 'removing old articles failed');
      }
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
