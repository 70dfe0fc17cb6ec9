import express, { Router, type Request } from 'express';
import { LEDGER_STATES, type LedgerSummary } from '../adapters/storage/ledger.js';
import type { Logger } from '../lib/log.js';
import { isQueueName } from '../queues/names.js';
import { DAYS, MINUTES, loadStatusData, retryFailedGroup, type FailureGroup, type FeedHealth, type LatestArticle, type StageThroughput, type StatusData, type StatusSources } from './status-data.js';

export interface StatusPageDeps extends StatusSources {
  log: Logger;
}

/**
 * `GET /`: one server-rendered page for an operator (feeds, throughput, failures, latest articles),
 * no build step and no script. `POST /status/retry` sends a group of failed jobs back to waiting.
 * Every stored string (titles, URLs, error reasons) is hostile input and goes through `esc`.
 */
export function statusPage(deps: StatusPageDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    try {
      const data = await loadStatusData(deps);
      res.type('html').set('cache-control', 'no-store').send(renderStatusPage(data, flashOf(req)));
    } catch (err) {
      deps.log.warn({ err }, 'status page failed');
      res.status(500).type('html').send(page('newsloom: status unavailable', `<p class="error">Cannot read the status: ${esc(err instanceof Error ? err.message : String(err))}</p>`));
    }
  });
  router.post('/status/retry', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    // A form on another site must not retry jobs here (CSRF): browsers say where a POST comes from.
    if (!sameOrigin(req)) return void res.status(403).type('text').send('retry: cross-site request refused');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const code = typeof body.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(body.code) ? body.code : null;
    const queue = typeof body.queue === 'string' && body.queue !== '' ? body.queue : undefined;
    if (code === null || (queue !== undefined && !isQueueName(queue))) return void res.status(400).type('text').send('retry: expected code=CODE and optionally queue=<stage>');
    const retried = await retryFailedGroup(deps.queues, code, queue !== undefined && isQueueName(queue) ? queue : undefined);
    deps.log.info({ code, queue, retried }, 'failed jobs retried from the status page');
    res.redirect(303, `/?retried=${retried}&code=${encodeURIComponent(code)}`);
  });
  return router;
}

function flashOf(req: Request): string | null {
  const { retried, code } = req.query;
  if (typeof retried !== 'string' || typeof code !== 'string') return null;
  return `Retried ${Number(retried) || 0} failed job(s) with ${code}.`;
}

function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (origin === undefined) return true; // not a browser form post (curl, scripts)
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/** The whole page, from data already read. */
export function renderStatusPage(d: StatusData, flash: string | null = null): string {
  const failing = d.feeds.filter((f) => f.lastStatus === 'error').length;
  const body = [
    `<header><h1>newsloom</h1><nav><a href="/queues">Queues (Bull Board)</a> · <a href="/metrics">Metrics</a> · <a href="/api/feeds">Feeds JSON</a> · <a href="/">Refresh</a></nav>`,
    `<p class="muted">Generated ${esc(d.generatedAt)} · ${d.feeds.length} feeds (${failing} failing) · ${d.failedTotal} failed jobs</p></header>`,
    flash ? `<p class="flash" role="status">${esc(flash)}</p>` : '',
    section('feeds', 'Feeds', feedsTable(d.feeds)),
    section('throughput', `Throughput (jobs completed per minute, last ${MINUTES} minutes, all workers)`, throughputTable(d.throughput)),
    section('failures', 'Failed jobs by reason', failuresTable(d.failures, d.failedTotal)),
    section('ledger', 'Accepted items (ledger)', ledgerTable(d.ledger, d.articlesError)),
    section('articles', 'Latest articles', articlesTable(d.articles, d.articlesError)),
  ].join('\n');
  return page('newsloom status', body);
}

function feedsTable(feeds: FeedHealth[]): string {
  if (feeds.length === 0) return '<p class="muted">No feed has been polled yet.</p>';
  // Failing feeds first: they are what an operator came for.
  const sorted = [...feeds].sort((a, b) => Number(b.lastStatus === 'error') - Number(a.lastStatus === 'error') || a.url.localeCompare(b.url));
  const rows = sorted.map((f) => {
    const name = f.name ?? f.title;
    const status = f.lastStatus === 'error' ? `<span class="bad">error ×${f.consecutiveFailures}</span>` : esc(f.lastStatus ?? 'never polled');
    const today = f.newPerDay.at(-1) ?? 0;
    const avg = f.newPerDay.reduce((a, b) => a + b, 0) / DAYS;
    return `<tr class="feed${f.lastStatus === 'error' ? ' failing' : ''}" data-feed-url="${esc(f.url)}">
<td>${name ? `<strong>${esc(name)}</strong><br>` : ''}<a href="${esc(safeHref(f.url))}" rel="noreferrer noopener">${esc(f.url)}</a></td>
<td>${status}</td><td>${when(f.lastPollAt)}</td><td>${when(f.nextPollAt)}</td>
<td class="reason">${f.lastError ? esc(f.lastError) : '<span class="muted">none</span>'}</td>
<td class="num" title="new articles on each of the last ${DAYS} days: ${f.newPerDay.join(', ')}">${today} today<br><span class="muted">${avg.toFixed(1)}/day (${DAYS}d)</span></td></tr>`;
  });
  return table(['Feed', 'Status', 'Last poll', 'Next poll', 'Last error', 'New articles'], rows);
}

function throughputTable(stages: StageThroughput[]): string {
  const rows = stages.map((s) => {
    const peak = Math.max(0, ...s.perMinute);
    const lastMinutes = s.perMinute.slice(-5).reduce((a, b) => a + b, 0) / 5;
    return `<tr data-stage="${esc(s.stage)}"><td>${esc(s.stage)}</td><td>${sparkline(s.perMinute)}</td>` +
      `<td class="num">${s.total}</td><td class="num">${lastMinutes.toFixed(1)}</td><td class="num">${peak}</td></tr>`;
  });
  return table(['Stage', `Per minute (${MINUTES} min)`, 'Last hour', 'Per min (last 5)', 'Peak/min'], rows);
}

/** Inline SVG bars, one per minute: no script, no chart library. */
function sparkline(values: number[]): string {
  const w = 3;
  const h = 24;
  const max = Math.max(1, ...values);
  const bars = values.map((v, i) => {
    const bh = v === 0 ? 0 : Math.max(1, Math.round((v / max) * h));
    return bh === 0 ? '' : `<rect x="${i * w}" y="${h - bh}" width="${w - 1}" height="${bh}"/>`;
  });
  return `<svg class="spark" width="${values.length * w}" height="${h}" viewBox="0 0 ${values.length * w} ${h}" role="img" aria-label="jobs per minute">${bars.join('')}</svg>`;
}

function failuresTable(groups: FailureGroup[], total: number): string {
  if (groups.length === 0) return '<p class="muted">No failed jobs.</p>';
  const rows = groups.map((g) => {
    const queues = Object.entries(g.byQueue).map(([q, n]) => `${esc(q)} ${n}`).join(', ');
    const examples = g.examples.map((e) => `<li>${esc(e)}</li>`).join('');
    return `<tr class="failure" data-code="${esc(g.code)}"><td><code>${esc(g.code)}</code></td><td class="num">${g.count}</td><td>${queues}</td>` +
      `<td><ul class="reasons">${examples}</ul></td><td>${when(g.lastFailedAt)}</td>` +
      `<td><form method="post" action="/status/retry"><input type="hidden" name="code" value="${esc(g.code)}"><button type="submit">Retry ${g.count}</button></form></td></tr>`;
  });
  const scanned = groups.reduce((a, g) => a + g.count, 0);
  const note = scanned < total ? `<p class="muted">Grouped from the newest failed jobs of each queue (${scanned} of ${total}); Retry sends back every failed job with that code.</p>` : '';
  return table(['Reason', 'Jobs', 'Queues', 'Examples', 'Last failed', ''], rows) + note;
}

function ledgerTable(ledger: LedgerSummary | null, error: string | null): string {
  if (ledger === null) return `<p class="muted">${esc(error ?? 'storage unavailable')}</p>`;
  const row = `<tr class="ledger">${LEDGER_STATES.map((s) => `<td class="num" data-state="${s}">${ledger[s]}</td>`).join('')}<td>${ledger.oldestPendingAt ? when(ledger.oldestPendingAt) : '<span class="muted">none pending</span>'}</td></tr>`;
  return table(['Pending', 'Stored', 'Skipped', 'Failed', 'Oldest pending since'], [row]) +
    '<p class="muted">Every item a poll accepts is pending until its article is stored (or skipped, or failed with a reason); ' +
    'the reconciler enqueues again an item pending longer than ledger.staleAfter.</p>';
}

function articlesTable(articles: LatestArticle[] | null, error: string | null): string {
  if (articles === null) return `<p class="muted">${esc(error ?? 'storage unavailable')}</p>`;
  if (articles.length === 0) return '<p class="muted">No article stored yet.</p>';
  const rows = articles.map((a) => `<tr class="article"><td><a href="/api/articles/${encodeURIComponent(a.id)}">${esc(a.title || '(untitled)')}</a>` +
    `<br><a class="muted" href="${esc(safeHref(a.url))}" rel="noreferrer noopener">${esc(a.url)}</a></td>` +
    `<td>${a.feed ? esc(a.feed) : ''}</td><td>${when(a.publishedAt)}</td><td>${when(a.fetchedAt)}</td></tr>`);
  return table(['Title (stored JSON)', 'Feed', 'Published', 'Fetched'], rows);
}

function table(head: string[], rows: string[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function section(id: string, title: string, content: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>\n${content}\n</section>`;
}

/** "3 min ago" / "in 12 min", with the instant itself on hover. */
function when(iso: string | null, now = Date.now()): string {
  if (!iso) return '<span class="muted">never</span>';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return esc(iso);
  const s = Math.round((at - now) / 1000);
  const abs = Math.abs(s);
  const span = abs < 60 ? `${abs}s` : abs < 3600 ? `${Math.round(abs / 60)} min` : abs < 172_800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} d`;
  return `<time datetime="${esc(iso)}" title="${esc(iso)}">${s <= 0 ? `${span} ago` : `in ${span}`}</time>`;
}

/** Only http(s) links: a stored "javascript:" URL must not become a clickable script. */
function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

/** HTML-escapes text for element content and double-quoted attributes. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
header nav a{margin-right:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}
td.reason,ul.reasons{max-width:40rem;word-break:break-word}
ul.reasons{margin:0;padding-left:1rem}
.muted{color:#777}.bad{color:#b00020;font-weight:600}.error{color:#b00020}
tr.failing{background:#fff4f4}
.flash{background:#eef7ee;border:1px solid #9c9;padding:.4rem .6rem}
svg.spark{background:#f1f3f8}svg.spark rect{fill:#4a7bd0}
</style></head><body>
${body}
</body></html>
`;
}
