import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

/** A canned answer, or a function that writes its own (hit counts from 1 per path). */
export type RouteHandler =
  | { status?: number; headers?: Record<string, string>; body?: string | Buffer }
  | ((req: IncomingMessage, res: ServerResponse, hit: number) => void);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FixtureServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  port: number;
  /** Answers requests whose path (without query) is exactly `path`. */
  route(path: string, handler: RouteHandler): void;
  /** Serves the files under `dir` at `prefix` with ETag/Last-Modified and 304s. */
  serveDir(prefix: string, dir: string): void;
  /** Requests seen for a path (without query), including refused or failed ones. */
  hits(path: string): number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1:0, scriptable per path (undici test/retry-handler.js does the same). */
export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, RouteHandler>();
  const dirs: Array<{ prefix: string; dir: string }> = [];
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fixture.invalid').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers } });
    const handler = routes.get(path);
    if (typeof handler === 'function') return handler(req, res, hit);
    if (handler !== undefined) {
      res.writeHead(handler.status ?? 200, handler.headers ?? {});
      res.end(handler.body ?? '');
      return;
    }
    const mount = dirs.find((d) => path.startsWith(d.prefix));
    if (mount === undefined) return send(res, 404, 'no route');
    serveFile(req, res, mount.dir, path.slice(mount.prefix.length)).catch(() => send(res, 500, 'fixture error'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    route: (path, handler) => void routes.set(path, handler),
    serveDir: (prefix, dir) => void dirs.push({ prefix, dir: resolve(dir) }),
    hits: (path) => counts.get(path) ?? 0,
    requests,
    close: () =>
      new Promise<void>((done, fail) => {
        // Drip and hung handlers keep sockets open; close() alone would wait for them forever.
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : done()));
      }),
  };
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function serveFile(req: IncomingMessage, res: ServerResponse, dir: string, rel: string): Promise<void> {
  const file = resolve(dir, decodeURIComponent(rel).replace(/^\/+/, ''));
  if (!file.startsWith(dir + sep)) return send(res, 403, 'outside the fixture folder');
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return send(res, 404, 'no such fixture');
  const body = await readFile(file);
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
  const validators = { etag, 'last-modified': lastModified.toUTCString() };
  if (notModified(req, etag, lastModified)) {
    res.writeHead(304, validators);
    res.end();
    return;
  }
  res.writeHead(200, { ...validators, 'content-type': contentTypeOf(file, body), 'content-length': String(body.length) });
  res.end(body);
}

// If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && lastModified.getTime() <= since;
}

function contentTypeOf(file: string, body: Buffer): string {
  switch (extname(file).toLowerCase()) {
    case '.html':
      return 'text/html; charset=utf-8';
    case '.xml':
      return /<feed[\s>]/.test(body.subarray(0, 4096).toString('latin1')) ? 'application/atom+xml' : 'application/rss+xml';
    case '.json':
      return 'application/feed+json';
    default:
      return 'application/octet-stream';
  }
}
