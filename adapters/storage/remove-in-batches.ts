/**
 * Runs a DELETE of at most `batchSize` rows until one removes fewer, yielding between batches so
 * this process's other work and other processes' writers get in; answers how many were removed.
 */
export async function removeInBatches(removeBatch: (batchSize: number) => number, batchSize: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const changes = removeBatch(batchSize);
    removed += changes;
    if (changes < batchSize) return removed;
    await new Promise((r) => setImmediate(r));
  }
}
