import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFeedStateStore } from '../../adapters/redis/feed-state-store.js';
import { openSqliteStorage } from '../../adapters/storage/sqlite-storage.js';
import type { Storage } from '../../adapters/storage/storage.js';
import { parseConfig } from '../../config/load.js';
import { startDashboard, type Dashboard } from '../../dashboard/dashboard.js';
import { createLogger } from '../../lib/log.js';
import { Metrics } from '../../lib/metrics.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import { makeArticle } from '../helpers/articles.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';
import { openApiErrors } from './api-openapi-check.js';

const TOKEN = 'test-token-0123456789abcdef';

let server: TestRedis;
let redis: Redis;
let queues: Queues;
let storage: Storage;
let dir: string;
let guarded: Dashboard;
let open: Dashboard;
const prefix = testPrefix();

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  queues = createQueues(redis, parseConfig({ redis: { prefix } }, 'test'));
  dir = mkdtempSync(join(tmpdir(), 'newsloom-api-auth-'));
  storage = openSqliteStorage(join(dir, 'db.sqlite'));
  await storage.upsertArticle(makeArticle());
  const deps = {
    host: '127.0.0.1', port: 0, queues, redis, metrics: new Metrics(), feedState: redisFeedStateStore(redis, prefix), log: createLogger('error'),
    storage: async () => storage,
  };
  guarded = await startDashboard({ ...deps, apiToken: TOKEN });
  open = await startDashboard(deps);
});
afterAll(async () => {
  await guarded?.close();
  await open?.close();
  await storage?.close();
  if (queues) await closeQueues(queues);
  await redis?.quit();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${guarded.url}${path}`, { redirect: 'manual', ...init, headers });

/** Logs in through the form and answers the session cookie ("name=value"). */
async function logIn(token = TOKEN, next = '/queues'): Promise<Response> {
  return call('/login', { 'content-type': 'application/x-www-form-urlencoded' }, { method: 'POST', body: new URLSearchParams({ token, next }).toString() });
}

describe('api.token', () => {
  it('answers every /api/* request without the token 401 JSON with WWW-Authenticate: Bearer', async () => {
    for (const path of ['/api/articles', '/api/articles/x', '/api/stories/x', '/api/stats', '/api/feeds', '/api/openapi.json', '/api/nothing-here']) {
      const res = await call(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toBe('Bearer realm="newsloom"');
      const body: unknown = await res.json();
      expect(body, path).toEqual({ error: expect.stringMatching(/expected the api\.token as "Authorization: Bearer <token>"/) });
      if (path !== '/api/nothing-here') expect(openApiErrors(path, 401, body), path).toEqual([]);
    }
  });

  it('answers 200 with the token as a Bearer header, the scheme in any case, and 401 invalid_token for another token', async () => {
    const ok = await call('/api/articles', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect((await ok.json()).articles).toHaveLength(1);
    expect((await call('/api/stats', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`, TOKEN]) {
      const res = await call('/api/articles', { authorization });
      expect(res.status, authorization).toBe(401);
    }
    expect((await call('/api/articles', { authorization: 'Bearer wrong-token' })).headers.get('www-authenticate')).toBe('Bearer realm="newsloom", error="invalid_token"');
  });

  it('asks for it on the dashboard pages and /metrics too, and leaves /healthz and /readyz open', async () => {
    const page = await call('/queues', { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fqueues');
    const status = await call('/', { accept: 'text/html' });
    expect(status.status).toBe(303);
    expect(status.headers.get('location')).toBe('/login?next=%2F');
    const metrics = await call('/metrics');
    expect(metrics.status).toBe(401);
    expect(metrics.headers.get('www-authenticate')).toBe('Bearer realm="newsloom"');
    expect((await call('/metrics', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await call('/queues/', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/readyz')).status).toBe(200);
  });

  it('lets a person log in with a form: an HttpOnly SameSite=Strict cookie, not the token, opens the pages and the API', async () => {
    const form = await call('/login?next=%2Fqueues');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('value="/queues"');
    const refused = await logIn('not-the-token');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const res = await logIn();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/queues');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^newsloom_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    expect((await call('/queues/', { cookie, accept: 'text/html' })).status).toBe(200);
    expect((await call('/api/articles', { cookie })).status).toBe(200);
    expect((await call('/metrics', { cookie })).status).toBe(200);
    expect((await call('/api/articles', { cookie: 'newsloom_session=forged' })).status).toBe(401);
    const out = await call('/logout', {}, { method: 'POST' });
    expect(out.headers.get('set-cookie')).toMatch(/^newsloom_session=; .*Max-Age=0/);
  });

  it('sends a login only to a path on this server', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await logIn(TOKEN, next);
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('takes api.token from the config, refusing a short one', () => {
    expect(parseConfig({ api: { token: TOKEN } }, 'test').api.token).toBe(TOKEN);
    expect(parseConfig({}, 'test').api.token).toBeUndefined();
    expect(() => parseConfig({ api: { token: 'secret' } }, 'test')).toThrow(/api\.token: .*at least 16 characters/);
    expect(() => parseConfig({ api: { token: 'a token with spaces in it' } }, 'test')).toThrow(/api\.token: .*without spaces/);
  });

  it('asks nothing when no token is configured', async () => {
    expect((await fetch(`${open.url}/api/articles`)).status).toBe(200);
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${open.url}/queues/`)).status).toBe(200);
    const login = await fetch(`${open.url}/login`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
  });
});
