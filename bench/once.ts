// npm run bench:once — `newsloom start --once` on the loopback fixture site, as a user runs it:
// a fresh database each round (cold), then the same database polled again (warm: every feed
// answers 304, nothing is fetched); then cold again with the per-host limit lifted, since the whole
// fixture site is one host and the default politeness (2 at once, 1 s apart) sets the pace there.
// Prints wall time per run (process start included), articles stored and articles/s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.js';
import { startFixtureSite } from '../test/helpers/fixture-site.js';
import { startTestRedis, testPrefix } from '../test/helpers/redis.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const redis = await startTestRedis();
const site = await startFixtureSite();
const dir = mkdtempSync(join(tmpdir(), 'newsloom-bench-once-'));
const rows: Array<{ kind: string; seconds: number; stored: number }> = [];

try {
  for (let round = 0; round < ROUNDS * 2; round++) {
    const polite = round < ROUNDS;
    const config = join(dir, `r${round}.yaml`);
    writeFileSync(config, `redis:\n  url: ${redis.url}\n  prefix: ${testPrefix()}\nstorage:\n  sqlite: ${join(dir, `r${round}.db`)}\n` +
      `fetch:\n  allowPrivateNetworks: true\n${polite ? '' : '  perHost: { maxConcurrent: 16, minInterval: 0ms }\n'}queues:\n  attempts: 2\n  backoff: 50ms\nlog:\n  level: warn\n` +
      `feeds:\n  - url: ${site.rssUrl}\n  - url: ${site.atomUrl}\n`);
    for (const kind of polite ? ['cold', 'warm'] : ['cold, no per-host limit']) {
      const started = performance.now();
      const r = await runCli(['start', '--once', '--config', config]);
      const seconds = (performance.now() - started) / 1000;
      if (r.code !== 0) throw new Error(`start --once exited ${r.code}: ${r.stderr}`);
      const stored = Number(/articles stored: (\d+)/.exec(r.stdout)?.[1] ?? NaN);
      rows.push({ kind, seconds, stored });
    }
  }
} finally {
  await site.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
console.log(`newsloom start --once on the fixture site (${site.pages.size} pages in 2 feeds, 2 broken links), ${ROUNDS} rounds`);
console.log('run                        median s   p95 s   articles stored   articles/s (median)');
for (const kind of ['cold', 'warm', 'cold, no per-host limit']) {
  const runs = rows.filter((r) => r.kind === kind);
  const secs = runs.map((r) => r.seconds);
  const med = quantile(secs, 0.5);
  const stored = runs[0]!.stored;
  console.log(`${kind.padEnd(26)} ${med.toFixed(2).padStart(8)} ${quantile(secs, 0.95).toFixed(2).padStart(7)} ${String(stored).padStart(17)} ${(stored / med).toFixed(2).padStart(21)}`);
}
