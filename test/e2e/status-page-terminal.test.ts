import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/redis/spawn-redis.js';
import { startTestRedis, testPrefix, type TestRedis } from '../helpers/redis.js';

// util-linux `script` gives the process a pseudo-terminal, as an operator's shell would.
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.log('skipping the terminal output test: no `script` command (apt-get install util-linux)');

const BIN = new URL('../../bin/newsloom.mjs', import.meta.url).pathname;
let redis: TestRedis;
let dir: string;

beforeAll(async () => {
  if (!hasScript) return;
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'newsloom-tty-'));
});
afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

describe.skipIf(!hasScript)('newsloom start on a terminal', () => {
  it('logs through pino-pretty instead of JSON and prints a progress line every few seconds', async () => {
    const configPath = join(dir, 'newsloom.yaml');
    writeFileSync(configPath, `redis:\n  url: ${redis.url}\n  prefix: ${testPrefix()}\nstorage:\n  sqlite: ${join(dir, 'db.sqlite')}\n` +
      `dashboard:\n  port: ${await freePort()}\nlog:\n  level: info\n`);
    const command = [process.execPath, BIN, 'start', '--config', configPath].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.once('close', resolve));
    try {
      const deadline = Date.now() + 240_000;
      while (!/newsloom: feeds polled/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      const lines = out.replace(ANSI, '').split(/\r?\n/);
      expect(lines.some((l) => /^newsloom: feeds polled 0 \(0 errors\) · articles stored 0 \(0\/min\) · failed jobs 0$/.test(l)), out).toBe(true);
      expect(lines.some((l) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: workers started$/.test(l)), out).toBe(true);
      expect(lines.filter((l) => l.startsWith('{"level"'))).toEqual([]);
    } finally {
      // The whole group: script and the newsloom under it (which also gets SIGHUP as its terminal goes).
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 300_000);
});
