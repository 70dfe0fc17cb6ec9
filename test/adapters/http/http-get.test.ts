import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import {
  brotliCompressSync, constants, createBrotliCompress, createDeflate, createGzip, deflateRawSync, deflateSync, gzipSync,
} from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type HttpGetOptions } from '../../../adapters/http/http-get.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';

const loopback: HttpGetOptions = {
  userAgent: 'newsloom-test',
  timeoutMs: 5_000,
  maxBytes: 1 << 20,
  maxRedirects: 5,
  allowPrivateNetworks: true,
};
const feedsDir = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));

const compressors = {
  gzip: () => createGzip({ level: 9 }),
  deflate: () => createDeflate({ level: 9 }),
  br: () => createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
};

/** `bytes` zeros compressed (about 1000:1, or far more for brotli), streamed so the test never holds the zeros. */
async function bomb(coding: keyof typeof compressors, bytes: number): Promise<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  const zeros = Readable.from((function* () {
    for (let left = bytes; left > 0; left -= chunk.length) yield chunk;
  })());
  const parts: Buffer[] = [];
  for await (const part of zeros.pipe(compressors[coding]())) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  server.serveDir('/feeds/', feedsDir);
});
afterAll(() => server.close());

describe('httpGet redirects', () => {
  it('follows 301, 302, 303, 307 and 308 and reports the chain and final URL', async () => {
    const statuses = [301, 302, 303, 307, 308];
    statuses.forEach((status, i) => server.route(`/hop/${i}`, { status, headers: { location: `/hop/${i + 1}` } }));
    server.route('/hop/5', { body: 'landed' });
    const res = await httpGet(`${server.url}/hop/0`, loopback);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('landed');
    expect(res.url).toBe(`${server.url}/hop/5`);
    expect(res.redirects).toEqual([1, 2, 3, 4, 5].map((i) => `${server.url}/hop/${i}`));
  });

  it('fails with "too many redirects" after maxRedirects hops', async () => {
    server.route('/loop', (req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    await expect(httpGet(`${server.url}/loop`, loopback)).rejects.toMatchObject({
      code: 'NL_TOO_MANY_REDIRECTS',
      retryable: false,
      message: expect.stringContaining('too many redirects'),
    });
    expect(server.hits('/loop')).toBe(1 + loopback.maxRedirects);
  });

  it.each(['file:///etc/passwd', 'ftp://ftp.example.com/feed.xml', 'gopher://x.example/'])(
    'refuses a redirect to %s',
    async (location) => {
      server.route('/to-other-scheme', { status: 302, headers: { location } });
      await expect(httpGet(`${server.url}/to-other-scheme`, loopback)).rejects.toMatchObject({ code: 'NL_URL', retryable: false });
    },
  );

  it('returns a 3xx without Location as an ordinary response', async () => {
    server.route('/no-location', { status: 302, body: 'nowhere' });
    const res = await httpGet(`${server.url}/no-location`, loopback);
    expect(res.status).toBe(302);
  });
});

describe('httpGet bodies', () => {
  const text = 'Grüße aus der Redaktion. '.repeat(200);
  it.each([
    ['gzip', gzipSync(text)],
    ['x-gzip', gzipSync(text)],
    ['br', brotliCompressSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['deflate, gzip', gzipSync(deflateSync(text))],
  ])('decodes a %s body', async (coding, body) => {
    server.route('/coded', { headers: { 'content-encoding': coding, 'content-type': 'text/plain; charset=utf-8' }, body });
    const res = await httpGet(`${server.url}/coded`, loopback);
    expect(res.body.toString('utf8')).toBe(text);
    expect(server.requests.at(-1)?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('refuses more than two stacked content codings', async () => {
    server.route('/stacked', { headers: { 'content-encoding': 'gzip, gzip, gzip' }, body: gzipSync(gzipSync(gzipSync(text))) });
    await expect(httpGet(`${server.url}/stacked`, loopback)).rejects.toMatchObject({ code: 'NL_CONTENT_ENCODING', retryable: false });
  });

  it('fails permanently on a body that does not decode', async () => {
    server.route('/corrupt', { headers: { 'content-encoding': 'gzip' }, body: 'this is not gzip' });
    await expect(httpGet(`${server.url}/corrupt`, loopback)).rejects.toMatchObject({ code: 'NL_CONTENT_ENCODING', retryable: false });
  });

  // Catalogue F4/F5: a 1 MiB cap must hold against 200 MB of zeros behind each coding.
  it.each(['gzip', 'deflate', 'br'] as const)('aborts a 200 MB %s bomb at maxBytes without holding it in memory', async (coding) => {
    const body = await bomb(coding, 200 << 20);
    server.route(`/bomb/${coding}`, { headers: { 'content-encoding': coding, 'content-type': 'application/rss+xml' }, body });
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await expect(httpGet(`${server.url}/bomb/${coding}`, loopback)).rejects.toMatchObject({
      code: 'NL_TOO_LARGE',
      retryable: false,
      message: expect.stringContaining('body too large'),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 << 20);
  });

  it('cuts a plain chunked body without Content-Length at maxBytes', async () => {
    server.route('/endless', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const kib = Buffer.alloc(1024, 0x61);
      const pump = () => {
        while (res.write(kib)) if (res.destroyed) return;
      };
      res.on('drain', pump);
      pump();
    });
    await expect(httpGet(`${server.url}/endless`, { ...loopback, maxBytes: 64 << 10 })).rejects.toMatchObject({ code: 'NL_TOO_LARGE' });
  });

  it('refuses at once a Content-Length above maxBytes', async () => {
    server.route('/declared-big', { headers: { 'content-length': String(2 << 20) }, body: Buffer.alloc(2 << 20) });
    await expect(httpGet(`${server.url}/declared-big`, loopback)).rejects.toMatchObject({ code: 'NL_TOO_LARGE' });
  });
});

describe('httpGet deadlines and failures', () => {
  it('aborts a body dripping one byte at a time at the total deadline, as a retryable timeout', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((done) => (closed = done));
    server.route('/drip', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('<'), 50);
      res.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    const started = Date.now();
    await expect(httpGet(`${server.url}/drip`, { ...loopback, timeoutMs: 500 })).rejects.toMatchObject({
      code: 'NL_TIMEOUT',
      retryable: true,
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
    await serverSawClose; // the socket was closed, not left dripping
  });

  it('times out on a server that never sends headers', async () => {
    server.route('/silent', () => undefined);
    await expect(httpGet(`${server.url}/silent`, { ...loopback, timeoutMs: 300 })).rejects.toMatchObject({ code: 'NL_TIMEOUT' });
  });

  it('gives up on a connected server that sends no first byte, before the total deadline', async () => {
    server.route('/mute', () => undefined);
    const err = await httpGet(`${server.url}/mute`, { ...loopback, timeoutMs: 60_000, firstByteTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_TIMEOUT', retryable: true, message: `GET ${server.url}/mute: no answer within 200 ms` });
  });

  it('reports a refused connection as a retryable network error with the cause kept', async () => {
    const gone = await startFixtureServer();
    await gone.close();
    const err = await httpGet(`${gone.url}/`, loopback).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NL_NETWORK', retryable: true, cause: { code: 'ECONNREFUSED' } });
  });

  it('returns a 503 as a response for the caller to judge', async () => {
    server.route('/busy', { status: 503, headers: { 'retry-after': '120' }, body: 'later' });
    const res = await httpGet(`${server.url}/busy`, loopback);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('120');
  });
});

describe('httpGet conditional requests', () => {
  it('returns 304 with an empty body when the ETag still matches', async () => {
    const first = await httpGet(`${server.url}/feeds/rss2.xml`, loopback);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/rss+xml');
    const etag = first.headers.etag!;
    const again = await httpGet(`${server.url}/feeds/rss2.xml`, { ...loopback, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('returns 304 when nothing changed since Last-Modified', async () => {
    const first = await httpGet(`${server.url}/feeds/atom.xml`, loopback);
    const again = await httpGet(`${server.url}/feeds/atom.xml`, {
      ...loopback,
      headers: { 'if-modified-since': first.headers['last-modified']! },
    });
    expect(again.status).toBe(304);
  });

  it('sends the caller\'s User-Agent and Accept', async () => {
    server.route('/ua', { body: 'ok' });
    await httpGet(`${server.url}/ua`, { ...loopback, accept: 'application/rss+xml' });
    const seen = server.requests.at(-1)!;
    expect(seen.headers['user-agent']).toBe('newsloom-test');
    expect(seen.headers.accept).toBe('application/rss+xml');
  });
});
