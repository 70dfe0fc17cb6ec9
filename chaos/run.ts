// npm run chaos — issue 9: "nothing lost, nothing duplicated" measured under faults. A real
// redis-server (AOF everysec) the run kills, freezes and restarts; SQLite on a small tmpfs it
// fills; the bench site (bench/e2e/site-server.ts: 200 feeds × 50 items on loopback hosts, every
// item's first listing logged = accepted); N newsloom processes (1 `start`, N − 1 `worker`).
// Cases: main (20 kill -9 of workers, 2 kill -9 of Redis + AOF restart, Redis SIGSTOP 30 s, a
// worker SIGSTOP 45 s, disk full 15 s, CLIENT KILL, 2 OS crashes of Redis (AOF cut back 1 s), a
// 60 s partition of every process from Redis through a fault proxy), Redis restarted empty, Redis full under
// noeviction, an evicting maxmemory-policy, SIGTERM mid-job 10×. Then the Jepsen-style check per
// case (chaos/check.ts) and a table; exits 1 when a target is missed.
// `--quick`: 20 feeds × 10 items released at 1.5/s (so faults land while articles flow), fewer and shorter faults. Knobs: PROCS (4), FEEDS, PER_FEED,
// ONLY=main,redis-empty,redis-full,evicting-policy,sigterm, TMPFS_MB (64 quick, 1024 full), PAGE_SCALE
// (0.1: pages carry a tenth of bench:e2e's boilerplate around the same stories, 13 KB on average
// instead of 80, so extraction CPU does not stretch the 10,000-item run past 15 min; 1 = bench:e2e's pages),
// ENRICH=default (built-in enrichment on; off by default: it is not what this run tests), KEEP=1,
// STALLED_INTERVAL=10s (queues.stalledInterval of the processes, to compare with the default),
// PROXY=0 (main case: processes reach Redis directly, no fault proxy, no partition), RATE (main
// case: items released per second; 1.5 quick, 25 full), KILLS (main case: worker kill -9s; 4 quick, 20 full).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchSite } from '../bench/e2e/site-server.js';
import { emptyRedisCase, evictionCase, mainCase, redisFullCase, sigtermCase, type CaseReport, type RunSettings } from './cases.js';
import { printReports } from './report.js';

const QUICK = process.argv.includes('--quick');
const num = (name: string, full: number, quick: number) => Number(process.env[name] ?? (QUICK ? quick : full));
const FEEDS = num('FEEDS', 200, 20);
const PER_FEED = num('PER_FEED', 50, 10);
const PROCS = num('PROCS', 4, 4);
const PAGE_SCALE = num('PAGE_SCALE', 0.1, 0.1);
const CASES = { main: mainCase, 'redis-empty': emptyRedisCase, 'redis-full': redisFullCase, 'evicting-policy': evictionCase, sigterm: sigtermCase };
const only = (process.env.ONLY ?? Object.keys(CASES).join(',')).split(',') as Array<keyof typeof CASES>;

const workDir = mkdtempSync(join(tmpdir(), 'newsloom-chaos-'));
const storageDir = join(workDir, 'storage');
mkdirSync(storageDir);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${num('TMPFS_MB', 1024, 64)}m`, 'tmpfs', storageDir]).status === 0;
if (!mounted) console.log('no tmpfs mount for storage (not root?): the disk-full fault is skipped');

const started = Date.now();
const site = await startBenchSite(FEEDS, PER_FEED, PAGE_SCALE);
const settings: RunSettings = { quick: QUICK, processes: PROCS, workDir, storageDir, diskMount: mounted ? storageDir : null, feeds: FEEDS, perFeed: PER_FEED, ...(process.env.RATE ? { rate: Number(process.env.RATE) } : {}) };
const reports: CaseReport[] = [];
let exitCode = 0;
try {
  console.log(`newsloom chaos: ${FEEDS} feeds × ${PER_FEED} items (page scale ${PAGE_SCALE}), N=${PROCS}, SQLite on ${mounted ? `a ${num('TMPFS_MB', 1024, 64)} MB tmpfs` : 'a plain dir'}, ` +
    `${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}${QUICK ? ', --quick' : ''}; work dir ${workDir}`);
  for (const name of only) {
    const run = CASES[name];
    if (!run) throw new Error(`unknown case ${name}; expected some of ${Object.keys(CASES).join(',')}`);
    try {
      reports.push(await run(site, settings));
    } catch (err) {
      console.log(`case ${name} crashed: ${(err as Error).stack}`);
      exitCode = 1;
    }
  }
  printReports(reports);
  const missed = reports.flatMap((r) => r.targets.filter(([, , ok]) => !ok).map(([t]) => `${r.name}: ${t}`));
  console.log('');
  console.log(`${missed.length === 0 ? 'every target met' : `${missed.length} targets NOT met`}; ${((Date.now() - started) / 60_000).toFixed(1)} min, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the end`);
  if (missed.length > 0) exitCode = 1;
} finally {
  await site.close();
  if (process.env.KEEP && mounted) spawnSync('cp', ['-a', storageDir, join(workDir, 'storage-copy')]);
  if (mounted) spawnSync('umount', ['-l', storageDir]);
  if (process.env.KEEP) console.log(`kept ${workDir} (logs, configs, Redis data)`);
  else rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
