// The chaos cases: the main run with every fault of issue 9 while articles flow, then one case
// each for a Redis that comes back empty, a Redis that is full, a Redis with an evicting policy,
// and SIGTERM of workers mid-job.
import { readFileSync } from 'node:fs';
import { nearestRank } from '../bench/quantile.js';
import type { BenchSite } from '../bench/e2e/site-server.js';
import { seededRandom } from '../lib/seeded-random.js';
import { CaseEnv, fmt, type KillTrial, type ResumeTrial } from './case-env.js';
import type { CheckResult } from './check.js';
import { fillDisk, freezeRedis, freezeWorker, killClients, killRandomWorker, killRedis, osCrashRedis, partitionWorkers } from './faults.js';
import { sleep } from './redis-server.js';

export interface RunSettings {
  quick: boolean;
  processes: number;
  workDir: string;
  storageDir: string;
  /** Null when the storage dir is not a tmpfs of its own (the disk-full fault is skipped). */
  diskMount: string | null;
  feeds: number;
  perFeed: number;
  /** Items released per second in the main case (RATE); else 1.5 quick, 25 full. */
  rate?: number;
}

export interface CaseReport {
  name: string;
  n: number;
  check: CheckResult | null;
  kills: KillTrial[];
  resumes: ResumeTrial[];
  peakRssKb: Map<string, number>;
  usedBefore: number;
  usedAfter: number;
  /** [target, measured, met]. */
  targets: Array<[string, string, boolean]>;
  notes: string[];
  quiescent: boolean;
  /** Per queue, ms between successive stall checks (chaos/case-env.ts). */
  stallCheckGapsMs: Map<string, number[]>;
}

function report(env: CaseEnv, check: CheckResult | null, quiescent: boolean): CaseReport {
  return { name: env.opts.name, n: env.opts.processes, check, kills: [], resumes: [], peakRssKb: env.fleet?.peakRssKb ?? new Map(), usedBefore: env.usedMemoryBefore, usedAfter: env.usedMemoryAfter, targets: [], notes: env.notes, quiescent, stallCheckGapsMs: env.stallCheckGapsMs };
}

/** Lost, duplicated and the rest, as targets every delivery case shares. */
function deliveryTargets(r: CaseReport): void {
  const c = r.check;
  if (!c) return;
  r.targets.push(['0 lost', String(c.lost.length), c.lost.length === 0]);
  r.targets.push(['0 duplicated rows', String(c.duplicated), c.duplicated === 0]);
  r.targets.push(['0 duplicate stored events (stream / outbox)', `${c.dupEventsStream} / ${c.dupEventsOutbox}`, c.dupEventsStream === 0 && c.dupEventsOutbox === 0]);
  r.targets.push(['0 unexpected rows', String(c.unexpected.length), c.unexpected.length === 0]);
  r.targets.push(['0 marked seen but not stored', String(c.seenNotStored.length), c.seenNotStored.length === 0]);
  r.targets.push(['SQLite integrity_check ok', c.integrity, c.integrity === 'ok']);
}

async function finish(env: CaseEnv, capMs: number, quietMs: number): Promise<{ check: CheckResult | null; quiescent: boolean }> {
  const quiescent = await env.waitQuiescent(capMs, quietMs);
  env.log(quiescent ? 'quiescent' : `not quiescent after ${capMs / 1000} s: checking what is there`);
  for (const d of env.fleet.deaths()) env.notes.push(`process died on its own: ${d}`);
  await env.teardown();
  const perQueue = new Map<string, number>();
  for (const k of env.probe.stalled) perQueue.set(k.split('/')[0]!, (perQueue.get(k.split('/')[0]!) ?? 0) + 1);
  if (env.probe.storedReadErrors) env.notes.push(`the harness could not read the row count ${env.probe.storedReadErrors} times (last: ${env.probe.lastStoredError.slice(0, 160)})`);
  if (perQueue.size) env.notes.push(`stalled jobs by queue: ${[...perQueue].map(([q, n]) => `${q} ${n}`).join(', ')}`);
  const check = await env.check().catch((e: Error) => {
    env.notes.push(`check failed: ${e.message}`);
    return null;
  });
  return { check, quiescent };
}

const q = nearestRank;
export const quantiles = (xs: number[]) => ({ p50: q(xs, 0.5), p95: q(xs, 0.95), max: xs.length ? Math.max(...xs) : NaN });

// ---- main ------------------------------------------------------------------------------------------

export async function mainCase(site: BenchSite, s: RunSettings): Promise<CaseReport> {
  const items = s.feeds * s.perFeed;
  // The processes reach Redis through the fault proxy (R11). After an OS crash of Redis (R7) the
  // reconciler must enqueue again what Redis lost, within the case: it looks every 5 s (10 s) for
  // items pending 15 s (30 s), not every 1 min for 15 min (the defaults).
  const env = new CaseEnv({
    name: 'main', processes: s.processes, items, ratePerS: s.rate ?? (s.quick ? 1.5 : 25), poll: s.quick ? '5s' : '10s', proxy: process.env.PROXY !== '0', settleLedger: true,
    extraConfig: s.quick ? 'ledger:\n  staleAfter: 15s\n  reconcileEvery: 5s' : 'ledger:\n  staleAfter: 30s\n  reconcileEvery: 10s',
  }, site, s.workDir, s.storageDir);
  const rnd = seededRandom(9);
  const kills: Array<Promise<KillTrial>> = [];
  const resumes: ResumeTrial[] = [];
  try {
    await env.setup();
    await env.launchAndRelease();
    for (let t = 0; env.stored === 0 && t < 240; t++) await sleep(1000);
    const redisStopMs = s.quick ? 10_000 : 30_000;
    const partition = async () => {
      const t = await partitionWorkers(env, s.quick ? 20_000 : 60_000);
      if (t) resumes.push(t);
      else env.notes.push('partition fault skipped: PROXY=0 (the processes reach Redis directly)');
    };
    const big: Array<() => Promise<unknown>> = [
      async () => resumes.push(await killRedis(env)),
      async () => resumes.push(await killClients(env)),
      async () => resumes.push(await osCrashRedis(env)),
      partition,
      async () => void freezeWorker(env, s.quick ? 40_000 : 45_000).then((f) => env.log(`${f}: resumed`)),
      async () => resumes.push(await freezeRedis(env, redisStopMs)),
      async () => (s.diskMount ? env.log(await fillDisk(env, s.diskMount, s.quick ? 8_000 : 15_000)) : env.notes.push('disk-full fault skipped: no tmpfs mount')),
    ];
    if (!s.quick) big.push(async () => resumes.push(await killRedis(env)), async () => resumes.push(await osCrashRedis(env)));
    const killCount = Number(process.env.KILLS ?? (s.quick ? 4 : 20));
    const gap = () => sleep((s.quick ? 2000 : 3000) + rnd() * (s.quick ? 2000 : 5000));
    let done = 0;
    for (let i = 0; i <= big.length; i++) {
      const upTo = Math.round((killCount * (i + 1)) / (big.length + 1));
      for (; done < upTo; done++) {
        await killRandomWorker(env, rnd, kills);
        await gap();
      }
      if (i < big.length) {
        await big[i]!();
        await gap();
      }
    }
    env.log('faults done; waiting for the killed workers\' jobs and quiescence');
    const killTrials = await Promise.all(kills);
    const { check, quiescent } = await finish(env, s.quick ? 240_000 : 420_000, s.quick ? 8000 : 10_000);
    const r = report(env, check, quiescent);
    r.notes.push(env.timeline());
    r.kills = killTrials;
    r.resumes = resumes;
    deliveryTargets(r);
    for (const line of await Promise.all(env.reconcileWatches)) r.notes.push(line);
    const ledger = check?.ledger;
    if (ledger) r.notes.push(`ledger at the end: ${ledger.stored} stored, ${ledger.skipped} skipped, ${ledger.failed} failed, ${ledger.pending} pending; ${ledger.requeued} enqueued again by the reconciler`);
    if (ledger) r.targets.push(['0 items left pending in the ledger', String(ledger.pending), ledger.pending === 0]);
    // Judged net of Redis outages: while Redis is down, frozen or unreachable no job can be handed
    // to anyone, and that window is measured as the Redis fault's own recovery.
    const withJobs = killTrials.filter((k) => k.recoveryMs !== null);
    const kq = quantiles(withJobs.map((k) => k.netRecoveryMs!));
    const raw = quantiles(withJobs.map((k) => k.recoveryMs!));
    r.targets.push(['killed worker\'s jobs running again, net of Redis outages: p95 ≤ 30 s', `${fmt(kq.p95)} (raw ${fmt(raw.p95)}; ${withJobs.length} kills holding jobs)`, !(kq.p95 > 30_000)]);
    r.targets.push(['… and max ≤ 45 s', `${fmt(kq.max)} (raw ${fmt(raw.max)})`, !(kq.max > 45_000)]);
    for (const t of resumes) {
      const ok = t.workersBackMs !== null && t.workersBackMs <= 30_000 && (t.nothingLeft || (t.storedMovesMs !== null && t.storedMovesMs <= 30_000));
      r.targets.push([`${t.fault}: workers and storing back ≤ 30 s`, `${fmt(t.workersBackMs)} / ${t.nothingLeft ? 'n/a' : fmt(t.storedMovesMs)}`, ok]);
    }
    r.notes.push(`stalled events seen: ${env.probe.stalledEvents} (${env.probe.stalled.size} jobs)`);
    return r;
  } finally {
    await env.close();
  }
}

// ---- Redis restarted empty ---------------------------------------------------------------------

export async function emptyRedisCase(site: BenchSite, s: RunSettings): Promise<CaseReport> {
  const items = Math.min(s.feeds * s.perFeed, s.quick ? 100 : 300);
  // The reconciler looks every 5 s for items pending 15 s (defaults 1m and 15m), within the 20 s of
  // quiet the case waits for; items whose jobs are retrying or parked are only looked at again.
  const env = new CaseEnv({
    name: 'redis-empty', processes: 2, items, ratePerS: s.quick ? 5 : 20, poll: '5s',
    extraConfig: 'ledger:\n  staleAfter: 15s\n  reconcileEvery: 5s',
  }, site, s.workDir, s.storageDir);
  try {
    await env.setup();
    await env.launchAndRelease();
    for (let t = 0; env.stored < items * 0.3 && t < 300; t++) await sleep(1000);
    const listed = Object.keys((await site.log()).discovered).length;
    const atRisk = listed - env.probe.stored();
    const pollsBefore = (await site.log()).feedPolls;
    await env.redis.kill9();
    env.redis.wipe();
    const upAt = await env.redis.start();
    env.log(`redis restarted EMPTY (AOF removed): ${listed} listed, ${atRisk} of them not stored yet`);
    const resume = await env.measureResume('redis restarted empty', upAt, { feeds: 2, fetch: 2, extract: 2, normalise: 2, dedupe: 2, enrich: 2, store: 2 }, 30_000);
    // Schedules rebuilt from config without a restart? Polls already under way when Redis went
    // away may still land: count only polls after 10 s, and read the scheduler count.
    while (Date.now() - upAt < 10_000) await sleep(250);
    const schedulers = await env.probe.queues.feeds.getJobSchedulersCount().catch(() => -1);
    const pollsAt10 = Math.max(pollsBefore, (await site.log()).feedPolls);
    env.log(`10 s after the empty restart: ${schedulers} feed schedulers in Redis (${site.feedUrls.length} configured)`);
    const waitMs = 60_000;
    let firstPollMs: number | null = null;
    while (Date.now() - upAt < waitMs) {
      if ((await site.log()).feedPolls > pollsAt10) {
        firstPollMs = Date.now() - upAt;
        break;
      }
      await sleep(500);
    }
    const storedNoRestart = env.probe.stored();
    let restartNote = '';
    if (firstPollMs === null) {
      // What an operator would do: restart `newsloom start`, which upserts the schedules again.
      const start = env.fleet.alive().find((p) => p.command === 'start');
      if (start) {
        const t0 = Date.now();
        await env.fleet.terminate(start, 45_000);
        while (Date.now() - t0 < 120_000 && (await site.log()).feedPolls <= pollsAt10) await sleep(500);
        restartNote = `no feed polled within ${waitMs / 1000} s of the empty restart (schedules not rebuilt); ${listed - storedNoRestart} listed items unstored then; after restarting \`newsloom start\` the first poll came ${fmt(Date.now() - t0)} later`;
        env.notes.push(restartNote);
      }
    }
    const { check, quiescent } = await finish(env, s.quick ? 180_000 : 300_000, 20_000);
    const r = report(env, check, quiescent);
    r.resumes = [resume];
    deliveryTargets(r);
    r.targets.push(['first poll ≤ 60 s after Redis is back (schedules rebuilt, no restart)', firstPollMs === null ? `none in ${waitMs / 1000} s` : fmt(firstPollMs), firstPollMs !== null && firstPollMs <= 60_000]);
    r.notes.push(`feed schedulers in Redis 10 s after the empty restart: ${schedulers} of ${site.feedUrls.length}`);
    r.notes.push(`accepted but unstored at the empty restart: ${atRisk}; the stream (and BullMQ failed sets) restart empty too, so dup_events counts only events after it`);
    const ledger = check?.ledger;
    if (ledger) r.notes.push(`ledger at the end: ${ledger.stored} stored, ${ledger.skipped} skipped, ${ledger.failed} failed, ${ledger.pending} pending; ${ledger.requeued} enqueued again by the reconciler`);
    r.targets.push(['0 items left pending in the ledger', ledger ? String(ledger.pending) : 'no ledger', ledger?.pending === 0]);
    return r;
  } finally {
    await env.close();
  }
}

// ---- Redis full ---------------------------------------------------------------------------------

export async function redisFullCase(site: BenchSite, s: RunSettings): Promise<CaseReport> {
  const items = Math.min(s.feeds * s.perFeed, s.quick ? 100 : 300);
  const env = new CaseEnv({ name: 'redis-full', processes: 2, items, ratePerS: s.quick ? 5 : 20, poll: '5s' }, site, s.workDir, s.storageDir);
  try {
    await env.setup();
    await env.launchAndRelease();
    for (let t = 0; env.stored < items * 0.2 && t < 300; t++) await sleep(1000);
    const used = await env.probe.usedMemory();
    const holdMs = s.quick ? 15_000 : 20_000;
    await env.probe.redis.config('SET', 'maxmemory', String(used + 2 * 1048576));
    const storedAtFull = env.probe.stored();
    env.log(`redis full: maxmemory ${(used / 1048576).toFixed(1)} + 2 MB (noeviction); held ${holdMs / 1000} s from the first refused write`);
    // A slow flow may never grow 2 MB: after 10 s without a refusal the limit drops to what is used now.
    const oomCount = async () => Number(/errorstat_OOM:count=(\d+)/.exec(await env.probe.redis.info('errorstats').catch(() => ''))?.[1] ?? 0);
    const t0 = Date.now();
    let firstOomAt: number | null = null;
    let tightened = false;
    while (Date.now() - t0 < 60_000 && (firstOomAt === null || Date.now() - firstOomAt < holdMs)) {
      await sleep(1000);
      if (firstOomAt === null && (await oomCount()) > 0) firstOomAt = Date.now();
      if (firstOomAt === null && !tightened && Date.now() - t0 > 10_000) {
        tightened = true;
        const now = await env.probe.usedMemory();
        await env.probe.redis.config('SET', 'maxmemory', String(now));
        env.notes.push(`no write refused with 2 MB of headroom in 10 s: maxmemory lowered to used_memory (${(now / 1048576).toFixed(1)} MB)`);
      }
    }
    env.log(`redis was full for ${firstOomAt === null ? 0 : ((Date.now() - firstOomAt) / 1000).toFixed(0)} s`);
    const drained = env.probe.stored() - storedAtFull;
    // Redis 7 counts refused commands per error prefix: OOM is what writes got while full.
    const oomRefused = Number(/errorstat_OOM:count=(\d+)/.exec(await env.probe.redis.info('errorstats').catch(() => ''))?.[1] ?? 0);
    const peakUsed = await env.probe.usedMemory().catch(() => 0);
    await env.probe.redis.config('SET', 'maxmemory', '0');
    const before = Object.fromEntries(Object.keys(env.probe.queues).map((k) => [k, 2])) as Record<keyof typeof env.probe.queues, number>;
    const resume = await env.measureResume('redis memory raised', Date.now(), before, 60_000);
    const { check, quiescent } = await finish(env, s.quick ? 180_000 : 300_000, 8000);
    const r = report(env, check, quiescent);
    r.resumes = [resume];
    deliveryTargets(r);
    const oom = env.fleet.procs.reduce((n, p) => n + countLines(env.fleet.logPath(p.role), /OOM command not allowed/), 0);
    r.targets.push(['workers keep draining while full (rows stored meanwhile)', String(drained), drained > 0 || resume.nothingLeft]);
    r.targets.push(['storing resumes ≤ 10 s after memory is raised', resume.nothingLeft ? 'n/a' : fmt(resume.storedMovesMs), resume.nothingLeft || (resume.storedMovesMs !== null && resume.storedMovesMs <= 10_000)]);
    const roles = [...new Set(env.fleet.procs.map((p) => p.role))];
    const fullLines = roles.reduce((n, role) => n + countLines(env.fleet.logPath(role), /"Redis is full \(used_memory/), 0);
    const roomLines = roles.reduce((n, role) => n + countLines(env.fleet.logPath(role), /"Redis has room again/), 0);
    r.targets.push(['refusals logged per episode ("Redis is full" / "has room again" per process), not per command', `${fullLines} / ${roomLines} lines for ${roles.length} processes; ${oom} lines quoting a refusal`, fullLines >= 1 && fullLines <= 2 * roles.length && oom <= 5]);
    r.notes.push(`while full: ${oomRefused} commands refused OOM (Redis errorstats), used_memory ${(peakUsed / 1048576).toFixed(1)} MB at the end of it; log lines with "OOM command not allowed": ${oom}`);
    if (oomRefused === 0) r.notes.push('Redis never refused a write: the flow did not reach the limit, so this case proved little');
    return r;
  } finally {
    await env.close();
  }
}

function countLines(path: string, re: RegExp): number {
  return readLines(path, re).length;
}

function readLines(path: string, re: RegExp): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => re.test(l));
  } catch {
    return [];
  }
}

// ---- evicting policy ------------------------------------------------------------------------------

export async function evictionCase(site: BenchSite, s: RunSettings): Promise<CaseReport> {
  const env = new CaseEnv({ name: 'evicting-policy', processes: 1, items: 0, ratePerS: 1, poll: '1m', redisArgs: ['--maxmemory-policy', 'allkeys-lru'] }, site, s.workDir, s.storageDir);
  try {
    await env.setup();
    const p = env.fleet.launch('start', 'start');
    const capMs = 60_000;
    // Exit, or "workers started" in its log (it did not refuse), or the cap.
    const started = (async () => {
      for (const end = Date.now() + capMs; Date.now() < end; await sleep(500)) if (/"workers started"/.test(readFileSync(env.fleet.logPath('start'), 'utf8'))) return null;
      return null;
    })();
    const exited = await Promise.race([p.exited, started]);
    env.usedMemoryAfter = await env.probe.usedMemory().catch(() => 0);
    const log = readFileSync(env.fleet.logPath('start'), 'utf8');
    const named = /maxmemory-policy/.test(log);
    const r = report(env, null, true);
    if (exited === null) {
      await env.fleet.stopAll();
      r.targets.push(['refuses to start, naming maxmemory-policy', `started its workers${named ? ' (only a warning names the setting)' : ''}`, false]);
      const warn = log.split('\n').find((l) => /maxmemory-policy/.test(l));
      if (warn) r.notes.push(`log: ${warn.slice(0, 300)}`);
    } else {
      r.targets.push(['refuses to start, naming maxmemory-policy', `exit ${exited.code ?? exited.signal}${named ? ', names it' : ', does not name it'}`, exited.code !== 0 && named]);
      r.notes.push(`last lines: ${log.trim().split('\n').slice(-2).join(' | ').slice(0, 400)}`);
    }
    return r;
  } finally {
    await env.close();
  }
}

// ---- SIGTERM --------------------------------------------------------------------------------------

export async function sigtermCase(site: BenchSite, s: RunSettings): Promise<CaseReport> {
  const items = Math.min(s.feeds * s.perFeed, s.quick ? 100 : 300);
  // A 0.5 s grace, so SIGTERMs also land on jobs that cannot finish in time (a fetch waiting its
  // turn at a host, an extraction): those must go back to the queue at once, not stall until their
  // lock expires. With a 2 s grace, 4 SIGTERMs at load 11-19 cut off no job at all.
  const graceMs = 500;
  const env = new CaseEnv({ name: 'sigterm', processes: 3, items, ratePerS: s.quick ? 5 : 20, poll: '5s', extraConfig: `shutdown:\n  grace: ${graceMs}ms` }, site, s.workDir, s.storageDir);
  const rnd = seededRandom(15);
  try {
    await env.setup();
    await env.launchAndRelease();
    for (let t = 0; env.stored === 0 && t < 240; t++) await sleep(1000);
    const shutdowns: number[] = [];
    let forced = 0;
    const times = s.quick ? 4 : 10;
    for (let i = 0; i < times; i++) {
      for (let t = 0; t < 30 && ((await env.probe.counts().catch(() => null))?.active ?? 0) === 0; t++) await sleep(500);
      const live = env.fleet.alive();
      const p = live[Math.floor(rnd() * live.length)]!;
      const active = (await env.probe.counts().catch(() => null))?.active ?? 0;
      const t = await env.fleet.terminate(p, 60_000);
      shutdowns.push(t.shutdownMs);
      if (t.forced) forced++;
      env.log(`SIGTERM ${p.role} (${active} jobs active overall): exited ${t.code ?? t.signal} after ${fmt(t.shutdownMs)}`);
      await sleep(3000 + rnd() * 3000);
    }
    const { check, quiescent } = await finish(env, s.quick ? 180_000 : 300_000, 8000);
    const r = report(env, check, quiescent);
    deliveryTargets(r);
    const sq = quantiles(shutdowns);
    r.targets.push(['0 stalled jobs after SIGTERM', `${env.probe.stalled.size} (${env.probe.stalledEvents} events)`, env.probe.stalled.size === 0]);
    r.targets.push([`shutdown within the ${graceMs / 1000} s grace + 10 s`, `p50 ${fmt(sq.p50)}, max ${fmt(sq.max)}, ${forced} killed at 60 s`, sq.max <= graceMs + 10_000 && forced === 0]);
    const cut = [...new Set(env.fleet.procs.map((p) => p.role))].flatMap((role) => readLines(env.fleet.logPath(role), /grace period/));
    const handedBack = cut.reduce((n, l) => n + Number(/"handedBack":(\d+)/.exec(l)?.[1] ?? 0), 0);
    r.notes.push(`shutdowns past the grace: ${cut.length}; jobs handed back to the queue by them: ${handedBack}`);
    return r;
  } finally {
    await env.close();
  }
}
