import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../cli/replay.js';
import { eventStreamKey } from '../../adapters/redis/event-stream.js';
import { openStorage } from '../../adapters/storage/open-storage.js';
import { verifySignature } from '../../adapters/webhooks/sign-payload.js';
import { makeArticle } from '../helpers/articles.js';
import { runCli } from '../helpers/cli.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';
import { startReceiver, type Receiver } from '../workers/webhooks-receiver.js';

const SECRET = 'replay-secret-0123456789';
const redis = useTestRedis();
const prefix = testPrefix();
const dir = mkdtempSync(join(tmpdir(), 'newsloom-replay-'));
const configPath = join(dir, 'newsloom.yaml');
let receiver: Receiver;
let storedIds: string[];

beforeAll(async () => {
  receiver = await startReceiver();
  const db = join(dir, 'newsloom.db');
  writeFileSync(configPath, [
    'redis:', `  url: ${redis.server.url}`, `  prefix: ${prefix}`,
    'storage:', `  sqlite: ${db}`,
    'fetch:', '  allowPrivateNetworks: true',
    'events:', '  webhooks:', '    - name: main', `      url: ${receiver.url}`, `      secret: ${SECRET}`,
    '    - name: feeds-only', `      url: ${receiver.url}`, `      secret: ${SECRET}`, '      types: [feed.failing, feed.recovered]', '',
  ].join('\n'));
  const storage = await openStorage({ sqlite: db });
  await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/2026/12/first' }));
  await storage.recordFeedEvent({ type: 'feed.failing', feedUrl: 'https://news.example.com/rss', feedName: null, error: 'NL_TIMEOUT: no answer', consecutiveFailures: 3, at: new Date().toISOString() });
  await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/2026/12/second' }));
  storedIds = (await storage.eventsAfter(0, 10)).map((e) => String(e.seq));
  await storage.close();
});
afterAll(async () => {
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

// The real CLI runs for the two targets; the other cases call the command in-process (each CLI start costs seconds).
describe('newsloom replay', () => {
  it('re-sends every stored event to one webhook, signed, with the same ids each time', async () => {
    const first = await runCli(['replay', '--since', '2d', '--to', 'webhook', 'main', '--config', configPath]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('3 events to webhook main');
    expect(await runReplay(['--since', '2d', '--to', 'webhook', 'main', '--config', configPath])).toBe(0);
    expect(receiver.accepted.map((d) => d.id)).toEqual([...storedIds, ...storedIds]);
    expect(receiver.accepted.map((d) => d.type)).toEqual(['article.created', 'feed.failing', 'article.created', 'article.created', 'feed.failing', 'article.created']);
    expect(receiver.accepted.every((d) => verifySignature(d.headers['newsloom-signature'] as string, d.body, SECRET))).toBe(true);
    expect(receiver.accepted.every((d) => d.headers['newsloom-delivery'] === d.id)).toBe(true);
  });

  it('re-sends to the stream with the same ids', async () => {
    const r = await runCli(['replay', '--since', '2026-01-01', '--to', 'stream', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const entries = await redis.redis.xrange(eventStreamKey(prefix), '-', '+');
    expect(entries.map(([, f]) => f[1])).toEqual(storedIds);
    expect(entries.map(([, f]) => (JSON.parse(f[7]!) as { id: string }).id)).toEqual(storedIds);
  });

  it('keeps to a webhook\'s types, and to --since', async () => {
    receiver.accepted.length = 0;
    expect(await runReplay(['--since', '2d', '--to', 'webhook', 'feeds-only', '--config', configPath])).toBe(0);
    expect(receiver.accepted.map((d) => [d.id, d.type])).toEqual([[storedIds[1], 'feed.failing']]);
    expect(await runReplay(['--since', '2099-01-01', '--to', 'webhook', 'main', '--config', configPath])).toBe(0);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('stops at the first delivery a receiver refuses and exits 1', async () => {
    receiver.mode = 'failing';
    const requests = receiver.requests;
    try {
      expect(await runReplay(['--since', '2d', '--to', 'webhook', 'main', '--config', configPath])).toBe(1);
      expect(receiver.requests).toBe(requests + 1);
    } finally {
      receiver.mode = 'ok';
    }
  });

  it('names the webhooks there are when asked for one that is not configured', async () => {
    await expect(runReplay(['--since', '2d', '--to', 'webhook', 'nope', '--config', configPath]))
      .rejects.toThrow('no webhook named "nope" in events.webhooks (main, feeds-only)');
    await expect(runReplay(['--to', 'stream', '--config', configPath])).rejects.toThrow(/give --since DATE/);
  });
});
