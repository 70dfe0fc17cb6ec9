// npm run bench:e2e — the whole pipeline as users run it: `newsloom start` (scheduler, every stage
// worker with all built-in enrichment, dashboard) and `newsloom worker` processes, against one Redis
// with AOF everysec, polling a loopback news site of FEEDS feeds × PER_FEED article pages (realistic
// pages of 2–200 KB; duplicates, syndicated copies, 404s, 500s, malformed HTML; every feed and its
// articles on their own loopback hosts, so per-host politeness is as on the web). Phases:
//   throughput  every item listed from the first poll (a backlog), SQLite and PostgreSQL, 1 process
//               and PROCS processes: steady articles/s (10%→90% of rows stored), discovery → stored
//               row, CPU per article (/proc utime+stime), peak RSS, Redis used_memory peak
//   profile     one more 1-process SQLite run under `node --cpu-prof` (threads too): CPU per
//               article per stage and for the queue plumbing, checked against /proc
//   half rate   items appear in the feeds over time at half the 1-process SQLite rate, polled every
//               POLL: p50/p95 from discovery (the first poll listing an item) to its stored row
// `--quick`: 20 feeds × 20 items, short runs, for a smoke test. Knobs: FEEDS, PER_FEED, RUN_S (cap
// per throughput run), PROFILE_S, PACED_S, POLL, PROCS (2), STORAGE (sqlite,postgres), PER_HOST
// (a fetch.perHost YAML map, e.g. "{ maxConcurrent: 4, minInterval: 250ms }"), ENRICH_TIMEOUT
// (enrich.timeout, e.g. 60s on a machine too loaded for the 5 s default), HIGH_WATER (queues.highWater;
// 0 runs without backpressure, for a baseline), KEEP=1 keeps the temp dir
// (logs, configs, profiles), PHASES (throughput,profile,paced: a subset runs only those phases, e.g.
// PHASES=profile for a CPU profile alone on a shared machine). PIN=1 adds SQLite runs of 1 and PROCS
// processes each confined to a core of its own (taskset), as on separate machines: the scaling factor
// a process with its own CPU adds, which unconfined processes sharing 2 cores cannot show.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../test/helpers/postgres.js';
import { attributeProfiles, IDLE, PLUMBING_ROWS } from './e2e/attribute-profile.js';
import { runPipeline, type RunResult, type RunSpec } from './e2e/run-pipeline.js';
import { startBenchSite } from './e2e/site-server.js';
import { printStageLatencies } from './e2e/stage-latency.js';
import { nearestRank } from './quantile.js';

const QUICK = process.argv.includes('--quick');
const num = (name: string, full: number, quick: number) => Number(process.env[name] ?? (QUICK ? quick : full));
const FEEDS = num('FEEDS', 200, 20);
const PER_FEED = num('PER_FEED', 50, 20);
const RUN_S = num('RUN_S', 240, 120);
const PROFILE_S = num('PROFILE_S', 150, 100);
const PACED_S = num('PACED_S', 120, 30);
const POLL = process.env.POLL ?? '10s';
const PROCS = num('PROCS', 2, 2);
const STORAGES = (process.env.STORAGE ?? 'sqlite,postgres').split(',') as Array<RunSpec['storage']>;
const PER_HOST = process.env.PER_HOST;
const ENRICH_TIMEOUT = process.env.ENRICH_TIMEOUT;
const PHASES = new Set((process.env.PHASES ?? 'throughput,profile,paced').split(','));
const PIN = process.env.PIN === '1';
const HIGH_WATER = process.env.HIGH_WATER === undefined ? undefined : Number(process.env.HIGH_WATER);

const q = nearestRank;
const s1 = (ms: number) => (Number.isNaN(ms) ? '–' : (ms / 1000).toFixed(2));
const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
const pad = (s: string | number, n: number) => String(s).padStart(n);
const STAGES = ['feeds', 'fetch', 'extract', 'normalise', 'dedupe', 'enrich', 'store'];

const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-e2e-'));
const site = await startBenchSite(FEEDS, PER_FEED);
let postgres: TestPostgres | null = null;
const results: RunResult[] = [];
let runNo = 0;
const run = async (spec: Omit<RunSpec, 'perHost' | 'enrichTimeout' | 'highWater'>): Promise<RunResult> => {
  const runDir = join(dir, `run${++runNo}`);
  process.stderr.write(`e2e: ${spec.label}…\n`);
  const r = await runPipeline({ ...spec, ...(PER_HOST ? { perHost: PER_HOST } : {}), ...(ENRICH_TIMEOUT ? { enrichTimeout: ENRICH_TIMEOUT } : {}), ...(HIGH_WATER !== undefined ? { highWater: HIGH_WATER } : {}) }, site, runDir, postgres);
  for (const p of r.problems) process.stderr.write(`e2e: ${spec.label}: ${p}\n`);
  process.stderr.write(`e2e: ${spec.label}: ${r.stored} stored, ${r.articlesPerS.toFixed(1)} articles/s${r.timedOut ? ` (stopped at the ${spec.maxSeconds}s cap)` : ''}\n`);
  results.push(r);
  return r;
};

try {
  printHeader();
  let pgSkip: string | null = null;
  if (STORAGES.includes('postgres')) {
    try {
      postgres = await startTestPostgres({ durable: true });
    } catch (err) {
      pgSkip = `PostgreSQL part skipped: ${(err as Error).message}`;
    }
  }
  const throughput: Record<string, RunResult> = {};
  for (const storage of PHASES.has('throughput') ? STORAGES : []) {
    if (storage === 'postgres' && !postgres) continue;
    for (const processes of PROCS > 1 ? [1, PROCS] : [1]) {
      const label = `${storage}, ${processes} process${processes > 1 ? 'es' : ''}`;
      throughput[`${storage}/${processes}`] = await run({ label, storage, processes, mode: 'all', pollInterval: '15m', maxSeconds: RUN_S });
    }
  }
  for (const processes of PIN && PHASES.has('throughput') && PROCS > 1 ? [1, PROCS] : []) {
    const label = `sqlite, ${processes} on ${processes} core${processes > 1 ? 's' : ''}`;
    throughput[`pinned/${processes}`] = await run({ label, storage: 'sqlite', processes, mode: 'all', pollInterval: '15m', maxSeconds: RUN_S, pinCores: true });
  }
  const profileDir = join(dir, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const profiled = !PHASES.has('profile') ? null : await run({ label: 'sqlite, 1 process, --cpu-prof', storage: 'sqlite', processes: 1, mode: 'all', pollInterval: '15m', maxSeconds: PROFILE_S, profileDir });
  const base = throughput['sqlite/1'] ?? profiled;
  // HALF_RATE: when the throughput phase is not run (PHASES=paced), the rate to release items at.
  const halfRate = Number(process.env.HALF_RATE ?? Math.max(0.5, (base?.articlesPerS ?? 1) / 2));
  const count = Math.min(site.plan.items.length, Math.ceil(halfRate * PACED_S));
  const paced = !PHASES.has('paced') ? null : await run({ label: `sqlite, 1 process, ${halfRate.toFixed(1)} items/s`, storage: 'sqlite', processes: 1, mode: 'paced', paced: { ratePerS: halfRate, count }, pollInterval: POLL, maxSeconds: PACED_S + 180 });

  console.log('');
  if (PHASES.has('throughput')) {
    printThroughput(Object.values(throughput));
    if (pgSkip) console.log(pgSkip);
    printScaling(throughput);
  }
  const plumbingShare = profiled ? printProfile(profiled, profileDir) : NaN;
  if (paced) printPaced(paced, halfRate);
  if (profiled && paced && PHASES.has('throughput')) printTargets(throughput, plumbingShare, paced);
} finally {
  await site.close();
  await postgres?.stop();
  if (process.env.KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// ---- tables -------------------------------------------------------------------------------------

function printHeader(): void {
  const kinds = new Map<string, number>();
  for (const i of site.plan.items) kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
  const avgKb = site.plan.items.reduce((s, i) => s + i.bytes, 0) / site.plan.items.length / 1024;
  console.log(`newsloom end to end: ${FEEDS} feeds × ${PER_FEED} items on ${FEEDS * 2} loopback hosts (feed and article hosts), pages 2–200 KB (mean ${avgKb.toFixed(0)} KB)`);
  console.log(`items: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; text: ${site.origin}`);
  console.log(`Redis AOF everysec; per-host limit ${PER_HOST ?? 'default (2 at once, 1 s apart)'}; enrich.timeout ${ENRICH_TIMEOUT ?? 'default (5 s)'}; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start` +
    `${QUICK ? '; --quick' : ''}`);
}

function printThroughput(runs: RunResult[]): void {
  console.log('throughput (backlog: every item listed at the first poll; steady = 10%→90% of rows stored)');
  console.log('run                        stored  articles/s   p50 s   p95 s  CPU ms/art  redis ms/art  other ms/art  machine busy  peak RSS MB per process   Redis peak MB  KB/in-flight  start-up s');
  for (const r of runs) {
    const cpu = r.processes.reduce((s, p) => s + p.windowCpuMs, 0) / Math.max(1, r.window.articles);
    const redisPerArt = r.redis.windowCpuMs / Math.max(1, r.window.articles);
    const rss = r.processes.map((p) => mb(p.peakRssKb * 1024)).join(' + ');
    const perInFlight = r.redis.peakInFlight > 0 ? ((r.redis.usedMemoryAtPeakInFlight - r.redis.baselineUsedMemory) / r.redis.peakInFlight / 1024).toFixed(1) : '–';
    console.log(`${r.spec.label.padEnd(26)} ${pad(r.stored, 6)}${r.timedOut ? '*' : ' '} ${pad(r.articlesPerS.toFixed(1), 10)} ${pad(s1(q(r.latenciesMs, 0.5)), 7)} ${pad(s1(q(r.latenciesMs, 0.95)), 7)}` +
      ` ${pad(cpu.toFixed(1), 11)} ${pad(redisPerArt.toFixed(1), 13)} ${pad((r.machine.otherCpuMs / Math.max(1, r.window.articles)).toFixed(1), 13)} ${pad(`${(r.machine.busyShare * 100).toFixed(0)}%`, 13)}  ${rss.padEnd(24)} ${pad(mb(r.redis.peakUsedMemory), 14)} ${pad(perInFlight, 13)}` +
      `  ${s1(r.startUpMs.firstPoll ?? NaN)} / ${s1(r.startUpMs.firstRow ?? NaN)}`);
  }
  if (runs.some((r) => r.timedOut)) console.log(`* stopped at the ${RUN_S} s cap with items still in flight (RUN_S); the steady rate is measured on what was stored`);
  console.log('start-up: from spawning the processes to the first feed poll / the first stored row (not in the steady rate; RUN_S counts from the first poll).');
  console.log('other ms/art: the machine\'s CPU not used by the newsloom processes or Redis (the bench site and sampler, the kernel); machine busy: all cores, from /proc/stat.');
  console.log('p50/p95 here include waiting behind the backlog; the half-rate phase below measures latency. KB/in-flight: (used_memory − at start) / jobs in fetch…store, when most jobs were in flight (page blobs, seen-sets and the dedupe index so far included).');
}

function printScaling(t: Record<string, RunResult>): void {
  console.log('');
  console.log('scaling and backends (steady articles/s)');
  for (const storage of STORAGES) {
    const one = t[`${storage}/1`];
    const many = t[`${storage}/${PROCS}`];
    if (one && many && many !== one) console.log(`${storage.padEnd(10)} ${PROCS} processes vs 1: ${(many.articlesPerS / one.articlesPerS).toFixed(2)}×  (${many.articlesPerS.toFixed(1)} vs ${one.articlesPerS.toFixed(1)})`);
  }
  const [p1, pn] = [t['pinned/1'], t[`pinned/${PROCS}`]];
  if (p1 && pn) console.log(`sqlite, a core per process: ${PROCS} processes vs 1: ${(pn.articlesPerS / p1.articlesPerS).toFixed(2)}×  (${pn.articlesPerS.toFixed(1)} vs ${p1.articlesPerS.toFixed(1)})`);
  for (const n of [1, PROCS]) {
    const a = t[`sqlite/${n}`];
    const b = t[`postgres/${n}`];
    if (a && b) console.log(`postgres vs sqlite, ${n} process${n > 1 ? 'es' : ''}: ${(b.articlesPerS / a.articlesPerS).toFixed(2)}×  (${b.articlesPerS.toFixed(1)} vs ${a.articlesPerS.toFixed(1)})`);
  }
}

/**
 * Prints CPU per article per row of the profile; answers the queue plumbing's share of node CPU.
 * With a backlog the stages do not run in step (fetch and extract run ahead of store), so besides
 * ms per stored article each stage's CPU is also divided by the jobs it completed in the window
 * (the `start` process's /metrics): the "balanced" figure, as if every stage had done the same articles.
 */
function printProfile(r: RunResult, profileDir: string): number {
  const { rowsMs, profiles } = attributeProfiles(profileDir, r.processes, r.window.fromMs, r.window.toMs);
  const busy = [...rowsMs].filter(([k]) => k !== IDLE).reduce((s, [, v]) => s + v, 0);
  const procMs = r.processes.reduce((s, p) => s + p.windowCpuMs, 0);
  const arts = Math.max(1, r.window.articles);
  const at = (ms: number) => r.samples.reduce((best, x) => (Math.abs(x.atMs - ms) < Math.abs(best.atMs - ms) ? x : best), r.samples[0]!);
  const [j0, j1] = [at(r.window.fromMs).jobs, at(r.window.toMs).jobs];
  const jobs = (stage: string, outcome = 'completed') => (j1[`${stage} ${outcome}`] ?? 0) - (j0[`${stage} ${outcome}`] ?? 0);
  // Articles' worth of work: the jobs of the six per-article stages, averaged.
  const articleEq = STAGES.slice(1).reduce((s, st) => s + jobs(st), 0) / 6;
  const cpuOf = (ms: number) => (ms / busy) * procMs;
  const balancedOf = (row: string, ms: number) => {
    const stage = row.split('/')[0]!;
    const per = stage === 'feeds' ? jobs('fetch') : STAGES.includes(stage) ? jobs(stage) : articleEq;
    return per > 0 ? cpuOf(ms) / per : NaN;
  };
  console.log('');
  console.log(`CPU per article by stage: node --cpu-prof, ${profiles} profiles (main thread and worker threads), ${r.window.articles} articles stored in the steady window`);
  console.log(`jobs completed in the window: ${STAGES.map((st) => `${st} ${jobs(st)}${jobs(st, 'delayed') ? ` (+${jobs(st, 'delayed')} parked for a host)` : ''}`).join(', ')}`);
  console.log('row                           ms/stored art   share   balanced ms/art   (profile ms/stored art: wall time of samples)');
  const order = [...rowsMs].filter(([k]) => k !== IDLE).sort((a, b) => b[1] - a[1]);
  let balanced = 0;
  for (const [row, ms] of order) {
    const b = balancedOf(row, ms);
    if (!Number.isNaN(b)) balanced += b;
    console.log(`${row.padEnd(29)} ${pad((cpuOf(ms) / arts).toFixed(2), 13)} ${pad(((ms / busy) * 100).toFixed(1), 6)}% ${pad(Number.isNaN(b) ? '–' : b.toFixed(2), 17)}   ${(ms / arts).toFixed(2)}`);
  }
  const plumbingMs = PLUMBING_ROWS.reduce((s, k) => s + (rowsMs.get(k) ?? 0), 0);
  const plumbing = plumbingMs / busy;
  const plumbingBalanced = PLUMBING_ROWS.reduce((s, k) => s + (rowsMs.has(k) ? balancedOf(k, rowsMs.get(k)!) : 0), 0) / balanced;
  const redisMs = r.redis.windowCpuMs;
  console.log(`${'total (node processes)'.padEnd(29)} ${pad((procMs / arts).toFixed(2), 13)}  100.0% ${pad(balanced ? balanced.toFixed(2) : '–', 17)}   ${(busy / arts).toFixed(2)}  ← profile samples vs /proc utime+stime: ${(busy / Math.max(1, procMs)).toFixed(2)}×`);
  console.log(`${'redis-server (not in shares)'.padEnd(29)} ${pad((redisMs / arts).toFixed(2), 13)} ${' '.repeat(7)} ${pad(articleEq > 0 ? (redisMs / articleEq).toFixed(2) : '–', 17)}`);
  const withRedis = (plumbingMs / busy * procMs + redisMs) / (procMs + redisMs);
  console.log(`queue plumbing (bullmq + ioredis replies): ${(plumbing * 100).toFixed(1)}% of node CPU in the window, ${(plumbingBalanced * 100).toFixed(1)}% of the balanced CPU per article; ` +
    `with redis-server's CPU counted as plumbing: ${(withRedis * 100).toFixed(1)}%`);
  console.log('ms = the row\'s share of profile samples × /proc CPU of the processes in the window (samples are wall time, inflated when the machine is loaded);');
  console.log('balanced = a stage\'s CPU ÷ the jobs it completed (feeds: ÷ fetch jobs; other rows: ÷ the mean of the six per-article stages\' jobs)');
  printRedisCommands(r, arts);
  return Number.isNaN(plumbingBalanced) || balanced === 0 ? plumbing : plumbingBalanced;
}

/** Where redis-server's time goes, from INFO commandstats over the window (its own accounting, not /proc). */
function printRedisCommands(r: RunResult, arts: number): void {
  const top = r.redis.commands.slice(0, 12);
  if (top.length === 0) return;
  const allUsec = r.redis.commands.filter((c) => !/^(evalsha|eval|fcall)$/.test(c.name)).reduce((s, c) => s + c.usec, 0);
  console.log('');
  console.log(`redis-server by command in the window (INFO commandstats; a script's commands count under evalsha and on their own): ${(allUsec / 1000 / arts).toFixed(2)} ms of commands per stored article`);
  console.log('command                 µs/stored art   calls/stored art   µs/call');
  for (const c of top) console.log(`${c.name.padEnd(22)} ${pad((c.usec / arts).toFixed(0), 14)} ${pad((c.calls / arts).toFixed(1), 18)} ${pad((c.usec / c.calls).toFixed(1), 9)}`);
}

function printPaced(r: RunResult, rate: number): void {
  const l = r.latenciesMs;
  // Threads and models warm up on the first articles: also shown without items discovered before the first row was stored.
  const firstRowMs = r.samples.find((x) => x.stored > 0)?.atMs ?? 0;
  const warm = r.latencies.filter((x) => x.discoveredAtMs >= firstRowMs).map((x) => x.ms);
  const cached = warmLatencies(r);
  console.log('');
  console.log(`half rate: ${r.spec.paced!.count} items released at ${rate.toFixed(1)}/s (half the 1-process SQLite rate), round-robin over ${FEEDS} feeds polled every ${POLL}`);
  console.log('items                 stored   p50 s   p95 s   max s   articles/s   peak RSS MB   Redis peak MB');
  const row = (name: string, xs: number[]) => console.log(`${name.padEnd(20)} ${pad(xs.length, 7)} ${pad(s1(q(xs, 0.5)), 7)} ${pad(s1(q(xs, 0.95)), 7)} ${pad(s1(xs.length ? Math.max(...xs) : NaN), 7)}` +
    ` ${pad(r.articlesPerS.toFixed(1), 12)} ${pad(mb((r.processes[0]?.peakRssKb ?? 0) * 1024), 13)} ${pad(mb(r.redis.peakUsedMemory), 15)}`);
  row('all', l);
  row('after first row', warm);
  row('host seen before', cached);
  console.log('discovery = the first feed response listing the item (the poll interval does not count); stored = its row\'s created_at;');
  console.log('host seen before: not the first article of its host in the run, so robots.txt is cached (24 h) and not fetched 1 s (fetch.perHost.minInterval) before the page, as in a long-running deployment');
  console.log('');
  console.log('where the time goes, per stage (completed jobs created after the release):');
  printStageLatencies(r.stages);
}

/** Latencies of items stored once the pipeline was warm (after the first row) whose article host had been fetched before. */
function warmLatencies(r: RunResult): number[] {
  const firstRowMs = r.samples.find((x) => x.stored > 0)?.atMs ?? 0;
  const seen = new Set<string>();
  const out: number[] = [];
  for (const l of [...r.latencies].sort((a, b) => a.discoveredAtMs - b.discoveredAtMs)) {
    const host = new URL(l.url).host;
    if (seen.has(host) && l.discoveredAtMs >= firstRowMs) out.push(l.ms);
    seen.add(host);
  }
  return out;
}

function printTargets(t: Record<string, RunResult>, plumbing: number, paced: RunResult): void {
  const one = t['sqlite/1'];
  const many = t[`sqlite/${PROCS}`];
  const p95 = q(warmLatencies(paced), 0.95);
  const rows: Array<[string, string, boolean]> = [
    ['≥ 30 articles/s, 1 process (SQLite)', one ? one.articlesPerS.toFixed(1) : '–', (one?.articlesPerS ?? 0) >= 30],
    ['queue plumbing ≤ 10% of CPU per article', `${(plumbing * 100).toFixed(1)}%`, plumbing <= 0.1],
    ['p95 discovery → stored < 1 s at half rate (warm, host seen)', `${s1(p95)} s`, p95 < 1000],
  ];
  if (one && many && many !== one) rows.push([`${PROCS} processes ≥ 1.8× one (SQLite)`, `${(many.articlesPerS / one.articlesPerS).toFixed(2)}×`, many.articlesPerS / one.articlesPerS >= 1.8]);
  const [p1, pn] = [t['pinned/1'], t[`pinned/${PROCS}`]];
  if (p1 && pn) rows.push([`${PROCS} processes ≥ 1.8× one, a core each`, `${(pn.articlesPerS / p1.articlesPerS).toFixed(2)}×`, pn.articlesPerS / p1.articlesPerS >= 1.8]);
  console.log('');
  console.log('targets (issue 10, on a 2-core machine)');
  for (const [name, value, ok] of rows) console.log(`${name.padEnd(44)} ${value.padStart(8)}  ${ok ? 'met' : 'NOT met'}`);
  if (loadavg()[0]! > cpus().length) console.log(`note: load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores during the run: other work shared the CPU`);
}
