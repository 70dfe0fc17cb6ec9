import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { parseConfig } from '../../config/load.js';
import { waitForDrain } from '../../queues/queue-counts.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import { exportArticles } from '../helpers/cli.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

const BIN = new URL('../../bin/newsloom.mjs', import.meta.url).pathname;
const ARTICLE = readFileSync(new URL('../fixtures/site/harbour-ferry.html', import.meta.url));

let redis: TestRedis;
let server: FixtureServer;
let dir: string;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startFixtureServer();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-shutdown-'));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A real newsloom process whose signals the test sends itself (test/helpers/cli.ts SIGKILLs after 20 s). */
interface Proc {
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { stderr: () => stderr, kill: (signal) => void child.kill(signal), exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Scenario {
  configPath: string;
  feedUrl: string;
  slowUrl: string;
  slowPath: string;
  queues: Queues;
  /** Answers the held page requests, and every later one at once. */
  release(): void;
}

/**
 * A feed listing one article whose page is held open until release(): a fetch job stays active
 * for as long as the test wants. Each scenario has its own Redis prefix, database and paths.
 */
async function scenario(name: string, graceMs: number): Promise<Scenario> {
  const prefix = testPrefix();
  const slowPath = `/${name}/slow.html`;
  const feedPath = `/${name}/feed.xml`;
  const held: ServerResponse[] = [];
  let released = false;
  const answer = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(ARTICLE);
  };
  server.route(slowPath, (_req, res) => (released ? answer(res) : void held.push(res)));
  const slowUrl = `${server.url}${slowPath}`;
  server.route(feedPath, {
    headers: { 'content-type': 'application/rss+xml' },
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow ${name}</title><link>${server.url}/</link><description>d</description>` +
      `<item><title>Ferry</title><link>${slowUrl}</link><guid>${slowUrl}</guid><pubDate>${new Date(Date.now() - 3_600_000).toUTCString()}</pubDate></item></channel></rss>`,
  });
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(configPath, `redis:\n  url: ${redis.url}\n  prefix: ${prefix}\nstorage:\n  sqlite: ${join(dir, `${name}.sqlite`)}\n` +
    `fetch:\n  allowPrivateNetworks: true\n  robots: false\n  timeout: 5m\n  firstByteTimeout: 5m\n  perHost: { maxConcurrent: 16, minInterval: 0ms }\n` +
    `dashboard:\n  port: ${await freePort()}\nshutdown:\n  grace: ${graceMs}ms\nlog:\n  level: info\n` +
    `feeds:\n  - url: ${server.url}${feedPath}\n    interval: 1h\n`);
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queues = createQueues(conn, parseConfig({ redis: { prefix } }, 'test'));
  cleanups.push(async () => {
    await closeQueues(queues);
    await conn.quit();
  });
  return {
    configPath, feedUrl: `${server.url}${feedPath}`, slowUrl, slowPath, queues,
    release: () => {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
  };
}

async function pollNow(s: Scenario): Promise<void> {
  await s.queues.feeds.add('poll', { feedUrl: s.feedUrl, force: true }, { jobId: 'feeds-shutdown-test' });
}

describe('graceful shutdown', () => {
  it('newsloom start: on SIGTERM the job in flight finishes, nothing new is taken, and the process exits 0; its article is stored', async () => {
    const s = await scenario('finish', 120_000);
    const a = run(['start', '--config', s.configPath]);
    await pollNow(s);
    await until('the page request', () => server.hits(s.slowPath) >= 1);
    a.kill('SIGTERM');
    await until('the shutdown log line', () => a.stderr().includes('shutting down'));
    s.release();
    expect(await a.exited, a.stderr()).toBe(0);
    expect(a.stderr()).not.toContain('grace period');
    // The fetch job completed and handed its page on; the extract job waits for the next worker.
    const completed = await s.queues.fetch.getCompleted();
    expect(completed.map((j) => (j.data as { url: string }).url)).toEqual([s.slowUrl]);
    expect(await s.queues.extract.getWaitingCount()).toBe(1);

    const metricsPort = await freePort();
    const b = run(['worker', '--config', s.configPath, '--metrics-port', String(metricsPort)]);
    expect(await waitForDrain(s.queues, Date.now() + 180_000), b.stderr()).toBe(true);
    // A worker's own /metrics counts the jobs it ran: the store job of the article A left behind.
    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scrape).toMatch(/^newsloom_jobs_total\{stage="store",outcome="completed"\} 1$/m);
    expect(scrape).toMatch(/^newsloom_queue_jobs\{queue="store",state="completed"\} 1$/m);
    b.kill('SIGTERM');
    expect(await b.exited, b.stderr()).toBe(0);
    expect((await exportArticles(s.configPath)).map((x) => x.url)).toEqual([s.slowUrl]);
  }, 400_000);

  it('newsloom worker: past a short grace the cut-off job goes back to the queue at once without spending a try, and a second worker process completes it', async () => {
    const s = await scenario('cutoff', 500);
    const a = run(['worker', '--config', s.configPath]);
    await pollNow(s);
    await until('the page request', () => server.hits(s.slowPath) >= 1);
    const [before] = await s.queues.fetch.getActive();
    a.kill('SIGTERM');
    expect(await a.exited, a.stderr()).toBe(0);
    expect(a.stderr()).toContain('active jobs still running after the grace period');
    expect(a.stderr()).toMatch(/"handedBack":1/);
    // Not left active and locked by the process that is gone (the stall check would take ~25 s):
    // waiting again (delayed to now), with the interrupted try not counted.
    expect(await s.queues.fetch.getActiveCount()).toBe(0);
    const back = await s.queues.fetch.getJob(before!.id!);
    expect(['delayed', 'waiting']).toContain(await back!.getState());
    expect(back!.attemptsMade).toBe(before!.attemptsMade);

    s.release();
    const b = run(['worker', '--config', s.configPath]);
    expect(await waitForDrain(s.queues, Date.now() + 300_000), b.stderr()).toBe(true);
    b.kill('SIGTERM');
    expect(await b.exited, b.stderr()).toBe(0);
    expect(server.hits(s.slowPath)).toBe(2);
    expect((await exportArticles(s.configPath)).map((x) => x.url)).toEqual([s.slowUrl]);
  }, 500_000);

  it('a second SIGTERM exits at once with 143, without waiting for the job in flight', async () => {
    const s = await scenario('twice', 600_000);
    const a = run(['worker', '--config', s.configPath]);
    await pollNow(s);
    await until('the page request', () => server.hits(s.slowPath) >= 1);
    a.kill('SIGTERM');
    await until('the shutdown log line', () => a.stderr().includes('shutting down'));
    a.kill('SIGTERM');
    // The page is never answered before the exit: only the second signal can end the process.
    expect(await a.exited, a.stderr()).toBe(143);
    expect(a.stderr()).toContain('second signal: exiting now');
    s.release();
  }, 300_000);
});
