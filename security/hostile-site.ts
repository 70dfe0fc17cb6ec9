import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createDeflate, brotliCompressSync, gzipSync } from 'node:zlib';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface HostileSite {
  /** http://HOST:PORT of the HTTP fixtures (routes below and route()). */
  origin: string;
  /** http://HOST:PORT of the raw TCP server: /silent (never answers), /drip-headers. */
  rawOrigin: string;
  /** http://HOST:PORT whose connect never completes (listen backlog full), or null without python3. */
  blackholeOrigin: string | null;
  route(path: string, handler: Handler): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

/** 2 GiB of zeros as concatenated gzip members of 1 MiB each: about 2 MB on the wire (catalogue F4). */
const GZIP_MEMBER = gzipSync(Buffer.alloc(MiB), { level: 9 });
const GZIP_BOMB = Buffer.concat(Array.from({ length: 2048 }, () => GZIP_MEMBER));
// Stacked bombs: the 2 MB gzip bomb compressed again (a few KB on the wire, 2 GiB after two decodings).
const GZIP_BR_BOMB = brotliCompressSync(GZIP_BOMB, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
const GZIP_GZIP_BOMB = gzipSync(GZIP_BOMB, { level: 9 });
const GZIP_X6_BOMB = [1, 2, 3, 4, 5].reduce((b) => gzipSync(b, { level: 9 }), GZIP_BOMB);

/**
 * The hostile "public" web server of catalogue C: drip feeds, silent servers, compression bombs
 * (generated while they are sent, never held in memory), redirect loops and chains, and whatever
 * routes a case adds. Streams stop as soon as the client goes away.
 */
export async function startHostileSite(host: string, ports: { http: number; raw: number; blackhole: number }): Promise<HostileSite> {
  const routes = new Map<string, Handler>();
  const hitCounts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const drip = (res: ServerResponse | Socket, first: string) => {
    let i = 0;
    const text = first;
    const t = setInterval(() => {
      if (res.destroyed) return stop();
      res.write(i < text.length ? text[i++]! : 'x');
    }, 1000);
    const stop = () => {
      clearInterval(t);
      timers.delete(t);
    };
    timers.add(t);
    res.on('close', stop);
  };

  builtins(routes, drip);
  const http = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    hitCounts.set(url.pathname, (hitCounts.get(url.pathname) ?? 0) + 1);
    const handler = routes.get(url.pathname);
    if (!handler) {
      res.writeHead(404).end('not here');
      return;
    }
    handler(req, res, url);
  });
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const raw = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (d) => {
      if (head.includes('\r\n\r\n')) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const path = head.split(' ')[1] ?? '/';
      hitCounts.set(`raw:${path}`, (hitCounts.get(`raw:${path}`) ?? 0) + 1);
      if (path === '/drip-headers') drip(socket, 'HTTP/1.1 200 OK\r\nX-Drip: ');
      // '/silent': accepted, read, never answered.
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(ports.http, host, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    raw.once('error', reject);
    raw.listen(ports.raw, host, () => resolve());
  });
  const blackhole = await startBlackhole(host, ports.blackhole);
  return {
    origin: `http://${host}:${ports.http}`,
    rawOrigin: `http://${host}:${ports.raw}`,
    blackholeOrigin: blackhole ? `http://${host}:${ports.blackhole}` : null,
    route: (path, handler) => routes.set(path, handler),
    hits: (path) => hitCounts.get(path) ?? 0,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      blackhole?.kill('SIGKILL');
      await Promise.all([http, raw].map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}

/** 2 GiB of zeros, 64 KiB at a time, produced only as fast as they are consumed. */
function zeros(total = 2 * GiB): Readable {
  let left = total;
  const chunk = Buffer.alloc(64 * 1024);
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

function send(res: ServerResponse, headers: Record<string, string>, ...stages: Array<Readable | Transform>): void {
  res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers });
  res.flushHeaders();
  pipeline([...stages, res] as unknown as [Readable, ServerResponse]).catch(() => {});
}

function builtins(routes: Map<string, Handler>, drip: (res: ServerResponse, first: string) => void): void {
  routes.set('/ok', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  routes.set('/drip-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    drip(res, '<?xml version="1.0"?><rss version="2.0"><channel>');
  });
  const bomb = (coding: string, body: Buffer) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': coding });
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !res.destroyed) {
        const chunk = body.subarray(offset, offset + 16 * 1024);
        offset += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (offset >= body.length) res.end();
    };
    pump();
  };
  routes.set('/bomb/gzip', bomb('gzip', GZIP_BOMB));
  // Brotli and deflate cannot be concatenated: compressed while sent, as fast as the client reads.
  routes.set('/bomb/br', (_req, res) => send(res, { 'content-encoding': 'br' }, zeros(), createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })));
  routes.set('/bomb/deflate', (_req, res) => send(res, { 'content-encoding': 'deflate' }, zeros(), createDeflate({ level: 9 })));
  // Stacked: Content-Encoding lists the codings in the order they were applied.
  routes.set('/bomb/gzip-br', bomb('gzip, br', GZIP_BR_BOMB));
  routes.set('/bomb/gzip-gzip', bomb('gzip, gzip', GZIP_GZIP_BOMB));
  routes.set('/bomb/gzip-x6', bomb('gzip, gzip, gzip, gzip, gzip, gzip', GZIP_X6_BOMB));
  // Declares 1,000 bytes and sends a bomb: the parser stops at 1,000 and the gzip stream is cut.
  routes.set('/bomb/lying-length', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': '1000' });
    res.write(Buffer.concat(Array.from({ length: 4 }, () => GZIP_MEMBER)));
    res.end();
  });
  // 1 GiB of zeros, chunked, no Content-Length (catalogue F6).
  routes.set('/plain-1g', (_req, res) => send(res, {}, zeros(GiB)));
  // Content-Length larger than the cap: refused before reading.
  routes.set('/declared-huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(2 * GiB) });
    pipeline(zeros(), res).catch(() => {});
  });
  routes.set('/loop/a', (_req, res) => void res.writeHead(302, { location: '/loop/b' }).end());
  routes.set('/loop/b', (_req, res) => void res.writeHead(302, { location: '/loop/a' }).end());
  routes.set('/chain', (_req, res, url) => {
    const n = Number(url.searchParams.get('n') ?? '0');
    if (n <= 0) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('end of chain');
    res.writeHead(302, { location: `/chain?n=${n - 1}` }).end();
  });
  routes.set('/redirect', (_req, res, url) => {
    const status = Number(url.searchParams.get('status') ?? '302');
    // Node refuses raw non-ASCII in a header: percent-encode it, as a server sending UTF-8 Location bytes would be read.
    const to = (url.searchParams.get('to') ?? '/').replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
    res.writeHead(status, { location: to }).end();
  });
}

/**
 * A listener whose accept queue is full (catalogue F3): python's listen(0) never accepts, and one
 * connection fills the queue, so the kernel drops further SYNs and connect() hangs.
 */
async function startBlackhole(host: string, port: number): Promise<ChildProcess | null> {
  const script = [
    'import socket, sys, time',
    `s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((${JSON.stringify(host)}, ${port})); s.listen(0)`,
    'fill = []',
    'for i in range(2):',
    '    c = socket.socket(); c.setblocking(False)',
    `    try: c.connect((${JSON.stringify(host)}, ${port}))`,
    '    except BlockingIOError: pass',
    '    fill.append(c)',
    'time.sleep(0.3); print("ready", flush=True)',
    'time.sleep(100000)',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ready = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('exit', () => resolve(false));
    child.stdout!.once('data', () => resolve(true));
  });
  return ready ? child : null;
}
