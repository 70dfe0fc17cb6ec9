import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStage } from '../../../adapters/enrich/http-stage.js';
import type { HttpGetOptions } from '../../../adapters/http/http-get.js';
import type { Article } from '../../../stages/article.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
import type { EnrichmentStage } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';

const client: HttpGetOptions = { userAgent: 'newsloom-test', timeoutMs: 2_000, maxBytes: 4_096, maxRedirects: 5, allowPrivateNetworks: true };

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

function readJson(req: IncomingMessage): Promise<Article> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => resolve(JSON.parse(body) as Article));
  });
}

const run = (stage: EnrichmentStage, lastAttempt = false) => runStages(makeArticle(), [{ stage, options: {}, timeoutMs: 5_000 }], { lastAttempt });

describe('an HTTP enrichment stage', () => {
  it('POSTs the article as JSON and applies the patch it answers, with the version it reports', async () => {
    let received: Article | null = null;
    let contentType: string | undefined;
    server.route('/ok', (req, res) => {
      contentType = req.headers['content-type'];
      void readJson(req).then((article) => {
        received = article;
        res.writeHead(200, { 'content-type': 'application/json', 'x-stage-version': '4' });
        res.end(JSON.stringify({ keywords: article.title.toLowerCase().split(' '), sentiment: { score: 0.2, label: 'positive' } }));
      });
    });
    const stage = httpStage({ url: `${server.url}/ok`, client });
    expect(stage.name).toBe('127.0.0.1');
    const a = await run(stage);
    expect(received!.id).toBe(a.id);
    expect(received!.text).toBe(a.text);
    expect(contentType).toBe('application/json');
    expect(server.requests.at(-1)!.method).toBe('POST');
    expect(a.keywords).toEqual(['council', 'approves', 'budget']);
    expect(a.sentiment).toEqual({ score: 0.2, label: 'positive' });
    expect(a.enrichment['127.0.0.1']).toMatchObject({ version: '4', error: null });
  });

  it('records the configured name and version over the header, and 204 as nothing to change', async () => {
    server.route('/empty', { status: 204, headers: { 'x-stage-version': '9' } });
    const a = await run(httpStage({ url: `${server.url}/empty`, name: 'tagger', version: '2', client }));
    expect(a.enrichment.tagger).toMatchObject({ version: '2', error: null });
    expect(a.keywords).toBeUndefined();
  });

  it('retries on 503 and 429 (the fault is rethrown), then applies the answer once the service is back', async () => {
    server.route('/flaky', (_req, res, hit) => {
      if (hit === 1) return void res.writeHead(503).end('overloaded');
      if (hit === 2) return void res.writeHead(429, { 'retry-after': '1' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"summary":"A budget."}');
    });
    const stage = httpStage({ url: `${server.url}/flaky`, name: 'flaky', client });
    await expect(run(stage)).rejects.toMatchObject({ code: 'NL_HTTP_STAGE_STATUS', retryable: true, message: `POST ${server.url}/flaky answered 503: overloaded` });
    await expect(run(stage)).rejects.toMatchObject({ code: 'NL_HTTP_STAGE_STATUS', retryable: true });
    expect((await run(stage)).summary).toBe('A budget.');
  });

  it('records a 503 on the last attempt instead of failing the article', async () => {
    server.route('/down', { status: 503 });
    const a = await run(httpStage({ url: `${server.url}/down`, name: 'down', client }), true);
    expect(a.enrichment.down!.error).toBe(`NL_HTTP_STAGE_STATUS: POST ${server.url}/down answered 503`);
  });

  it('records a 400, invalid JSON and unknown fields at once, as permanent errors', async () => {
    server.route('/bad-request', { status: 400, body: 'missing text' });
    server.route('/not-json', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"keywords": [' });
    server.route('/unknown', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"keywords":["a"],"mood":"sunny","storyId":"x"}' });
    server.route('/wrong-type', { status: 200, body: '{"keywords":"a, b"}' });
    const errors = await Promise.all(['bad-request', 'not-json', 'unknown', 'wrong-type'].map(async (p) => (await run(httpStage({ url: `${server.url}/${p}`, name: p, client }))).enrichment[p]!.error));
    expect(errors[0]).toBe(`NL_HTTP_STAGE_STATUS: POST ${server.url}/bad-request answered 400: missing text`);
    expect(errors[1]).toMatch(new RegExp(`^NL_HTTP_STAGE_JSON: POST ${server.url}/not-json: answer is not JSON`));
    expect(errors[2]).toBe(`NL_HTTP_STAGE_PATCH: POST ${server.url}/unknown: answer is not a valid article patch: unknown fields "mood", "storyId"`);
    expect(errors[3]).toMatch(/^NL_HTTP_STAGE_PATCH: .*answer is not a valid article patch: keywords: /);
  });

  it('refuses an answer over enrich.http.maxBytes', async () => {
    server.route('/huge', { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ summary: 'x'.repeat(10_000) }) });
    const a = await run(httpStage({ url: `${server.url}/huge`, name: 'huge', client }));
    expect(a.summary).toBeUndefined();
    expect(a.enrichment.huge!.error).toMatch(/^NL_TOO_LARGE: .*body too large \(over 4096 bytes/);
  });

  it('gives up on a slow service at its deadline: retried, and recorded on the last attempt', async () => {
    server.route('/slow', (_req, res) => void setTimeout(() => res.writeHead(200).end('{}'), 3_000).unref());
    const stage = httpStage({ url: `${server.url}/slow`, name: 'slow', client: { ...client, timeoutMs: 150 } });
    const started = Date.now();
    await expect(run(stage)).rejects.toMatchObject({ code: 'NL_TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await run(stage, true)).enrichment.slow!.error).toMatch(/^NL_TIMEOUT: POST .*\/slow: deadline of 150 ms passed/);
  });

  it('stops the request when the stage time limit aborts it', async () => {
    server.route('/slower', (_req, res) => void setTimeout(() => res.writeHead(200).end('{}'), 3_000).unref());
    const stage = httpStage({ url: `${server.url}/slower`, name: 'slower', client });
    const a = await runStages(makeArticle(), [{ stage, options: {}, timeoutMs: 100 }]);
    expect(a.enrichment.slower!.error).toBe('NL_ENRICH_TIMEOUT: enrichment stage slower did not finish within 100 ms');
  });

  it('refuses a loopback service unless fetch.allowPrivateNetworks, without sending a request', async () => {
    server.route('/private', { status: 200, body: '{}' });
    const a = await run(httpStage({ url: `${server.url}/private`, name: 'private', client: { ...client, allowPrivateNetworks: false } }));
    expect(a.enrichment.private!.error).toMatch(/^NL_SSRF: .*127\.0\.0\.1 .*loopback/);
    expect(server.hits('/private')).toBe(0);
    const local = await run(httpStage({ url: `http://localhost:${server.port}/private`, name: 'private', client: { ...client, allowPrivateNetworks: false } }));
    expect(local.enrichment.private!.error).toMatch(/^NL_SSRF: /);
    expect(server.hits('/private')).toBe(0);
  });

  it('refuses a redirect instead of following it with the article', async () => {
    server.route('/moved', { status: 307, headers: { location: '/ok' } });
    const before = server.hits('/ok');
    const a = await run(httpStage({ url: `${server.url}/moved`, name: 'moved', client }));
    expect(a.enrichment.moved!.error).toBe(`NL_HTTP_STAGE_STATUS: POST ${server.url}/moved answered 307`);
    expect(server.hits('/ok')).toBe(before);
  });
});
