import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFeedStateStore } from '../../adapters/redis/feed-state-store.js';
import { parseConfig } from '../../config/load.js';
import { startDashboard, type Dashboard } from '../../dashboard/dashboard.js';
import { createLogger } from '../../lib/log.js';
import { METRICS, Metrics } from '../../lib/metrics.js';
import { closeQueues, createQueues, type Queues } from '../../queues/queues.js';
import { testPrefix, useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const prefix = testPrefix();
let queues: Queues;
let dashboard: Dashboard;
const metrics = new Metrics();

beforeAll(async () => {
  queues = createQueues(t.redis, parseConfig({ redis: { prefix } }, 'test'));
  dashboard = await startDashboard({
    host: '127.0.0.1', port: 0, queues, redis: t.redis, metrics, feedState: redisFeedStateStore(t.redis, prefix), log: createLogger('silent'),
  });
});
afterAll(async () => {
  await dashboard?.close();
  if (queues) await closeQueues(queues);
});

/** Every series name a scrape exposes: samples, plus the names HELP/TYPE declare (a labelled counter not yet incremented has no sample). */
function scrapedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const declared = /^# (?:HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
    if (declared) {
      names.add(declared[1]!);
      if (line.endsWith(' histogram')) for (const s of ['_bucket', '_sum', '_count']) names.add(declared[1]! + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}

describe('/metrics (prom-client)', () => {
  it('exposes jobs by queue and state, read from Redis at scrape time', async () => {
    await queues.fetch.add('fetch', { any: 'thing' }, { jobId: 'metrics-test-1' });
    const text = await (await fetch(`${dashboard.url}/metrics`)).text();
    expect(text).toMatch(/^newsloom_queue_jobs\{queue="fetch",state="waiting"\} 1$/m);
    expect(text).toMatch(/^newsloom_queue_jobs\{queue="store",state="failed"\} 0$/m);
  });

  it('declares every newsloom metric and Node process metrics from the first scrape', async () => {
    const names = scrapedNames(await (await fetch(`${dashboard.url}/metrics`)).text());
    for (const name of Object.keys(METRICS)) expect(names, name).toContain(name);
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_eventloop_lag_p99_seconds');
  });

  it('uses in grafana/newsloom-dashboard.json only metric names a real scrape has', async () => {
    const json = readFileSync(new URL('../../grafana/newsloom-dashboard.json', import.meta.url), 'utf8');
    const dashboardJson = JSON.parse(json) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const exprs = dashboardJson.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    // A metric name in PromQL: an identifier not followed by "(" (a function) and not a label name inside {…} or by (…).
    const used = new Set<string>();
    for (const expr of exprs) {
      const bare = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without)\s*\([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '');
      for (const m of bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) if (/_/.test(m[1]!)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const names = scrapedNames(await (await fetch(`${dashboard.url}/metrics`)).text());
    expect([...used].filter((n) => !names.has(n))).toEqual([]);
  });
});

describe('Metrics', () => {
  it('keeps the inc/get/total API and renders histograms in seconds', async () => {
    const m = new Metrics({ defaults: false });
    m.inc('newsloom_articles_stored_total', { change: 'created' }, 2);
    m.inc('newsloom_articles_stored_total', { change: 'updated' });
    m.observe('newsloom_stage_duration_seconds', { stage: 'store' }, 1500);
    expect(m.get('newsloom_articles_stored_total', { change: 'created' })).toBe(2);
    expect(m.total('newsloom_articles_stored_total')).toBe(3);
    const text = await m.render();
    expect(text).toMatch(/^newsloom_articles_stored_total\{change="created"\} 2$/m);
    expect(text).toMatch(/^newsloom_stage_duration_seconds_sum\{stage="store"\} 1\.5$/m);
    expect(text).toMatch(/^newsloom_stage_duration_seconds_bucket\{le="2\.5",stage="store"\} 1$/m);
    expect(text).not.toContain('process_cpu');
  });
});
