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
    await storage.upsertArticle(makeArticle());
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/other' }));
    // Stored in the past by then: the cutoff is a millisecond later than the last write.
    const now = Date.now();
    while (Date.now() === now) await new Promise((r) => setImmediate(r));
    const retention = startRetention(storage, { retentionMs: 0, log: createLogger('info', stream) });
    await retention.stop();
    expect(await collect(storage.articles())).toEqual([]);
    expect(lines.find((l) => l.msg === 'old articles removed')).toMatchObject({ removed: 2 });
    await storage.close();
  });
});
