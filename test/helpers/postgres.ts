import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, openSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../adapters/redis/spawn-redis.js';

export interface TestPostgres {
  port: number;
  /** A URL to database `db` of this server (default: the `postgres` database). */
  url(db?: string): string;
  /** Creates an empty database with a fresh name and answers its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** fsync on and synchronous_commit off, as one would run it (the benchmark); tests run with fsync off. */
  durable?: boolean;
}

/**
 * The directory holding initdb and postgres: NEWSLOOM_TEST_POSTGRES_BIN when set (to pick a
 * version, or a missing dir to see the tests skip), else PATH, then /usr/lib/postgresql/<newest>/bin.
 */
export function findPostgresBin(): string | null {
  const chosen = process.env.NEWSLOOM_TEST_POSTGRES_BIN;
  if (chosen) return existsSync(join(chosen, 'initdb')) && existsSync(join(chosen, 'postgres')) ? chosen : null;
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...debian];
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres'))) ?? null;
}

/** initdb refuses to run as root: as root, run the server as `postgres` (else `nobody`). */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const users = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  const found = ['postgres', 'nobody'].map((name) => users.find((u) => u[0] === name)).find(Boolean);
  if (!found) throw new Error('running as root and there is no postgres or nobody user to run PostgreSQL as');
  return { name: found[0]!, uid: Number(found[2]), gid: Number(found[3]) };
}

function asUser(user: ReturnType<typeof serverUser>, cmd: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user.name, '--', cmd, ...args]] : [cmd, args];
}

/**
 * A real PostgreSQL on a free 127.0.0.1 port with its own temp dir (initdb + postgres), trust
 * authentication for user `postgres`. Throws with the reason when it cannot be found or started.
 */
export async function startTestPostgres(opts: StartOptions = {}): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`no initdb and postgres in ${process.env.NEWSLOOM_TEST_POSTGRES_BIN || 'PATH or /usr/lib/postgresql/*/bin'} (apt-get install postgresql)`);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const init = spawnSync(...asUser(user, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']),
    { encoding: 'utf8', timeout: 60_000 });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.error?.message ?? `exit ${init.status}`}): ${(init.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`);
  }
  const port = await freePort();
  const settings = opts.durable
    ? ['-c', 'synchronous_commit=off']
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const child = spawn(...asUser(user, join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'max_connections=200', ...settings]), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const stop = async () => {
    await stopServer(child, data, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url(), child);
  } catch (err) {
    await stop();
    throw new Error(`postgres did not start: ${(err as Error).message}; ${log.trim().split('\n').slice(-2).join(' ')}`);
  }
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${randomBytes(6).toString('hex')}`;
      const client = new pg.Client(url());
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited ${child.exitCode ?? child.signalCode}`);
    const client = new pg.Client(url);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Fast shutdown of the postmaster itself (runuser may not pass signals on), SIGKILL after 15 s. */
async function stopServer(child: ChildProcess, data: string, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  let pid = child.pid;
  try {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    // Not written yet: the child is the server or its wrapper.
  }
  try {
    process.kill(pid!, 'SIGINT');
  } catch {
    // Already gone.
  }
  const timer = setTimeout(() => {
    for (const p of [pid, child.pid]) {
      try {
        process.kill(p!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The test PostgreSQL for a test file, started at collection time so a missing one is a skip:
 * null when PostgreSQL cannot be found or started, after one line on stderr saying why, once per
 * test run (test files run in several processes of one parent: a marker file keyed by it).
 */
export async function startTestPostgresOrSkip(): Promise<TestPostgres | null> {
  try {
    return await startTestPostgres();
  } catch (err) {
    try {
      closeSync(openSync(join(tmpdir(), `newsloom-pg-skipped-${process.ppid}`), 'wx'));
      process.stderr.write(`PostgreSQL tests skipped: ${(err as Error).message}\n`);
    } catch {
      // Another test file of this run has said it.
    }
    return null;
  }
}
