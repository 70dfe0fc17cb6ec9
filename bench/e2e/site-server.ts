// The bench site in a child process (its CPU is reported, not mixed with the bench's own): one HTTP
// server per host address, all on one port (Linux routes all of 127.0.0.0/8 to lo), so per-host
// politeness works as on the web: every feed on its own feed host, its articles on its own article
// host. It logs when a feed response first lists each item (the item's discovery).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSentences } from './corpus.js';
import { renderPage } from './render-page.js';
import { articleHost, feedHost, planSite, type PlannedItem, type SitePlan } from './site-plan.js';

/** `all`: every item is listed from the first poll (a backlog); `paced`: items appear when released. */
export type SiteMode = 'all' | 'paced';

export interface SiteLog {
  /** Item URL → epoch ms of the first feed response listing it. */
  discovered: Record<string, number>;
  feedPolls: number;
  notModified: number;
  pages: number;
  pageBytes: number;
  byStatus: Record<string, number>;
  cpuMs: number;
  /** Bytes of the large page (addLargePage) sent before the fetcher hung up or it ended. */
  largePageBytes: number;
}

type ToSite =
  | { type: 'configure'; mode: SiteMode }
  | { type: 'release'; ratePerS: number; count: number }
  | { type: 'log'; full: boolean }
  | { type: 'large'; feed: number; bytes: number };
type FromSite = { type: 'ready'; port: number; origin: string } | { type: 'ok' } | ({ type: 'log' } & SiteLog);

export interface BenchSite {
  plan: SitePlan;
  port: number;
  /** Where the article text comes from (corpus or synthetic). */
  origin: string;
  feedUrls: string[];
  itemUrl(item: PlannedItem): string;
  /** Resets the discovery log and what feeds list. */
  configure(mode: SiteMode): Promise<void>;
  /** Paced mode: from now, `count` items appear in their feeds at `ratePerS`, round-robin over feeds. */
  release(ratePerS: number, count: number): Promise<void>;
  /** From now, feed `feed` also lists one page of `bytes` bytes of HTML, streamed (no content-length); answers its URL. */
  addLargePage(feed: number, bytes: number): Promise<string>;
  /** The log; `counts` leaves out the discovery map (cheap enough to ask every second). */
  log(counts?: 'counts'): Promise<SiteLog>;
  close(): Promise<void>;
}

/** `pageScale`: see planSite (1 = pages of their planned size). */
export async function startBenchSite(feeds: number, perFeed: number, pageScale = 1): Promise<BenchSite> {
  const plan = planSite(feeds, perFeed, undefined, pageScale);
  const child = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, NEWSLOOM_BENCH_SITE: `${feeds}x${perFeed}x${pageScale}` }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (m: ToSite) => new Promise<FromSite>((resolve, reject) => {
    const died = (code: number | null) => reject(new Error(`bench site exited ${code}`));
    child.once('exit', died);
    child.once('message', (r: FromSite) => {
      child.off('exit', died);
      resolve(r);
    });
    child.send(m);
  });
  const ready = await new Promise<FromSite>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench site exited ${code} before listening`)));
  });
  if (ready.type !== 'ready') throw new Error('bench site: unexpected first message');
  const { port } = ready;
  return {
    plan,
    port,
    origin: ready.origin,
    feedUrls: Array.from({ length: feeds }, (_, f) => `http://${feedHost(f)}:${port}/rss.xml`),
    itemUrl: (item) => `http://${articleHost(item.feed)}:${port}${item.path}`,
    configure: async (mode) => void (await ask({ type: 'configure', mode })),
    release: async (ratePerS, count) => void (await ask({ type: 'release', ratePerS, count })),
    addLargePage: async (feed, bytes) => {
      await ask({ type: 'large', feed, bytes });
      return `http://${articleHost(feed)}:${port}${largePagePath(bytes)}`;
    },
    log: async (counts) => {
      const { type: _type, ...log } = (await ask({ type: 'log', full: counts !== 'counts' })) as { type: 'log' } & SiteLog;
      return log;
    },
    close: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}

// ---- the child ------------------------------------------------------------------------------------

async function serve(feeds: number, perFeed: number, pageScale: number): Promise<void> {
  const plan = planSite(feeds, perFeed, undefined, pageScale);
  const { sentences, origin } = loadSentences();
  const byHostPath = new Map<string, PlannedItem>(plan.items.map((i) => [`${articleHost(i.feed)}${i.path}`, i]));
  const feedOfHost = new Map(Array.from({ length: feeds }, (_, f) => [feedHost(f), f]));
  let mode: SiteMode = 'all';
  let release = { startMs: 0, ratePerS: 0, count: 0 };
  let log: SiteLog = emptyLog();
  let large: { item: PlannedItem; listedAt: Date } | null = null;
  const base = Date.now();
  let port = 0;

  const publishedAt = (item: PlannedItem) =>
    mode === 'all' ? new Date(base - (perFeed - (item.id % perFeed)) * 60_000) : new Date(release.startMs + releaseOrder(item) * 1000 / release.ratePerS);
  const releaseOrder = (item: PlannedItem) => (item.id % perFeed) * feeds + item.feed;
  const visible = (f: number): PlannedItem[] => {
    const all = plan.items.slice(f * perFeed, (f + 1) * perFeed);
    if (mode === 'all') return all;
    const now = Date.now();
    return all.filter((i) => releaseOrder(i) < release.count && release.startMs + releaseOrder(i) * 1000 / release.ratePerS <= now);
  };
  const itemUrl = (i: PlannedItem) => `http://${articleHost(i.feed)}:${port}${i.path}`;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = (req.url ?? '/').split('?')[0]!;
    const count = (status: number) => (log.byStatus[status] = (log.byStatus[status] ?? 0) + 1);
    const feed = feedOfHost.get(host);
    if (feed !== undefined && path === '/rss.xml') {
      log.feedPolls++;
      const items = visible(feed).slice(-50).reverse();
      if (large?.item.feed === feed) items.unshift(large.item);
      const etag = `"f${feed}-${mode}-${release.startMs}-${items.length}"`;
      if (req.headers['if-none-match'] === etag) {
        log.notModified++;
        count(304);
        return res.writeHead(304, { etag }).end();
      }
      const now = Date.now();
      for (const i of items) log.discovered[itemUrl(i)] ??= now;
      count(200);
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
      return res.end(rss(feed, items, itemUrl, (i) => (i === large?.item ? large.listedAt : publishedAt(i))));
    }
    if (large && host === articleHost(large.item.feed) && path === large.item.path) {
      count(200);
      return streamLargePage(res, large.item.bytes, sentences, (sent) => (log.largePageBytes += sent));
    }
    const item = byHostPath.get(`${host}${path}`);
    if (!item || item.kind === 'not-found') {
      count(404);
      return res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    }
    if (item.kind === 'server-error') {
      count(500);
      return res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
    }
    const html = renderPage(item, plan, sentences, publishedAt(item));
    log.pages++;
    log.pageBytes += Buffer.byteLength(html);
    count(200);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  };

  const hosts = [...Array.from({ length: feeds }, (_, f) => feedHost(f)), ...Array.from({ length: feeds }, (_, f) => articleHost(f))];
  const servers: Server[] = [];
  for (let tries = 0; servers.length < hosts.length; tries++) {
    if (tries > 20) throw new Error('bench site: no port free on every loopback address');
    try {
      for (const h of hosts.slice(servers.length)) {
        const s = createServer({ keepAliveTimeout: 30_000 }, handler);
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(port, h, () => resolve());
        });
        servers.push(s);
        if (port === 0) port = (s.address() as AddressInfo).port;
      }
    } catch {
      await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
      port = 0;
    }
  }

  process.on('message', (m: ToSite) => {
    if (m.type === 'configure') {
      mode = m.mode;
      release = { startMs: 0, ratePerS: 1, count: 0 };
      large = null;
      log = emptyLog();
      process.send!({ type: 'ok' } satisfies FromSite);
    } else if (m.type === 'large') {
      const item: PlannedItem = { id: plan.items.length, feed: m.feed, kind: 'article', path: largePagePath(m.bytes), title: '', storyOf: 0, bytes: m.bytes, padTo: m.bytes };
      large = { item, listedAt: new Date() };
      process.send!({ type: 'ok' } satisfies FromSite);
    } else if (m.type === 'release') {
      release = { startMs: Date.now(), ratePerS: m.ratePerS, count: m.count };
      process.send!({ type: 'ok' } satisfies FromSite);
    } else {
      const cpu = process.cpuUsage();
      process.send!({ type: 'log', ...log, ...(m.full ? {} : { discovered: {} }), cpuMs: (cpu.user + cpu.system) / 1000 } satisfies FromSite);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', port, origin } satisfies FromSite);
}

function emptyLog(): SiteLog {
  return { discovered: {}, feedPolls: 0, notModified: 0, pages: 0, pageBytes: 0, byStatus: {}, cpuMs: 0, largePageBytes: 0 };
}

const largePagePath = (bytes: number) => `/news/2026/large-page-${bytes}.html`;

/**
 * A page of `bytes` bytes of paragraphs, written 64 KB at a time as the client reads (chunked, no
 * content-length, so only the fetcher's running count can refuse it); stops when the client hangs up.
 */
function streamLargePage(res: ServerResponse, bytes: number, sentences: readonly string[], done: (sent: number) => void): void {
  let para = '';
  for (let i = 0; para.length < 64 * 1024; i++) para += `<p>${esc(sentences[i % sentences.length]!)}</p>\n`;
  const chunk = Buffer.from(para);
  let sent = 0;
  res.once('close', () => done(sent));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write('<!DOCTYPE html><html><head><title>A very large page</title></head><body><article><h1>A very large page</h1>\n');
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end('</article></body></html>\n');
  };
  pump();
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(feed: number, items: PlannedItem[], url: (i: PlannedItem) => string, publishedAt: (i: PlannedItem) => Date): string {
  const entries = items.map((i) => `<item><title>Story ${i.id}</title><link>${esc(url(i))}</link><guid isPermaLink="true">${esc(url(i))}</guid>` +
    `<pubDate>${publishedAt(i).toUTCString()}</pubDate><description>${esc(`Story ${i.id} of feed ${feed}.`)}</description></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench feed ${feed}</title><link>http://feed-${feed}.example/</link>` +
    `<description>Bench feed</description>${entries.join('\n')}</channel></rss>\n`;
}

const sizes = /^(\d+)x(\d+)x([\d.]+)$/.exec(process.env.NEWSLOOM_BENCH_SITE ?? '');
if (sizes && process.send) await serve(Number(sizes[1]), Number(sizes[2]), Number(sizes[3]));
