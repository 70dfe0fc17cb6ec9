import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startRetention } from '../../../adapters/storage/retention.js';
import { openSqliteStorage } from '../../../adapters/storage/sqlite-storage.js';
import { createLogger } from '../../../lib/log.js';
import { makeArticle } from '../../helpers/articles.js';
import { collect } from '../../helpers/collect.js';

const dir = mkdtempSync(join(tmpdir(), 'newsloom-retention-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('storage.retention', () => {
  it('removes what is older than the retention at once, and logs how many', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
    const storage = openSqliteStorage(join(dir, 'r.db'));
    const feedUrl = 'https://news.example.com/rss';
    const accepted = ['https://news.example.com/2026/11/council-budget', 'https://news.example.com/other', 'https://news.example.com/in-flight'];
    await storage.acceptItems(accepted.map((url) => ({ itemKey: url, seenKey: url, feedUrl, payload: { url } })));
    await storage.upsertArticle(makeArticle(), { itemKey: accepted[0] });
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/other' }), { itemKey: accepted[1] });
    // Stored in the past by then: the cutoff is a millisecond later than the last write.
    const now = Date.now();
    while (Date.now() === now) await new Promise((r) => setImmediate(r));
    const retention = startRetention(storage, { retentionMs: 0, log: createLogger('info', stream) });
    await retention.stop();
    expect(await collect(storage.articles())).toEqual([]);
    expect(lines.find((l) => l.msg === 'old articles removed')).toMatchObject({ removed: 2 });
    // Their settled ledger rows go too; the pending one stays, for the reconciler.
    expect(lines.find((l) => l.msg === 'old settled items removed from the ledger')).toMatchObject({ removed: 2 });
    expect(await storage.ledgerCounts()).toEqual({ pending: 1, stored: 0, skipped: 0, failed: 0 });
    await storage.close();
  });
});
