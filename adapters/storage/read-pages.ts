/** Reads keyset pages until one comes back short: `next(last)` gives the page after `last` (null: the first). */
export async function* readPages<T>(next: (last: T | null) => Promise<T[]>, pageSize: number): AsyncGenerator<T> {
  let last: T | null = null;
  for (;;) {
    const page = await next(last);
    yield* page;
    if (page.length < pageSize) return;
    last = page.at(-1)!;
  }
}
