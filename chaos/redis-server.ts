// The chaos run's own redis-server: unlike test/helpers/redis.ts it can be killed with SIGKILL,
// frozen with SIGSTOP and started again on the same port and directory (from its AOF, or empty).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { redisAnswers } from '../adapters/redis/spawn-redis.js';

export interface ChaosRedisOptions {
  port: number;
  dir: string;
  /** Extra `--flag value` pairs (e.g. an evicting maxmemory-policy). */
  args?: string[];
}

export class ChaosRedis {
  private child: ChildProcess | null = null;
  private output = '';
  /** Sizes of the AOF's incr files every 100 ms over the last 5 s (for `osCrash`). */
  private aofSizes: Array<{ atMs: number; sizes: Map<string, number> }> = [];
  private aofTimer: NodeJS.Timeout | null = null;
  constructor(private readonly opts: ChaosRedisOptions) {
    mkdirSync(opts.dir, { recursive: true });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.opts.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** Starts redis-server (AOF everysec, no RDB) and resolves once it answers PING; answers that moment. */
  async start(): Promise<number> {
    const args = ['--port', String(this.opts.port), '--bind', '127.0.0.1', '--dir', this.opts.dir, '--appendonly', 'yes',
      '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', ...(this.opts.args ?? [])];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    // A big AOF takes a while to load; "LOADING" replies are not PONG, so this waits for it.
    while (!(await redisAnswers('127.0.0.1', this.opts.port, 300))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${this.opts.port} did not start: ${this.output.trim().split('\n').slice(-3).join(' | ')}`);
      }
      await sleep(50);
    }
    return Date.now();
  }

  /** SIGKILL, then waits for the process to be gone. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** Samples the size of `appendonlydir/*.incr.aof` every 100 ms, keeping 5 s of samples. */
  sampleAof(): void {
    this.aofTimer ??= setInterval(() => {
      const now = Date.now();
      this.aofSizes.push({ atMs: now, sizes: this.incrSizes() });
      while (this.aofSizes.length > 0 && this.aofSizes[0]!.atMs < now - 5000) this.aofSizes.shift();
    }, 100);
    this.aofTimer.unref();
  }

  /**
   * An OS crash of Redis (catalogue §3, R7): kill -9, then the current incr AOF is cut back to its
   * size ≥ 1 s earlier (what `appendfsync everysec` had not yet made durable), `redis-check-aof
   * --fix` drops the torn last command, and Redis starts from what is left. Answers the bytes cut
   * and the moment Redis accepts connections again.
   */
  async osCrash(): Promise<{ cutBytes: number; file: string; fixOutput: string; upAtMs: number }> {
    const killAt = Date.now();
    await this.kill9();
    const aofDir = join(this.opts.dir, 'appendonlydir');
    const manifest = readdirSync(aofDir).find((f) => f.endsWith('.manifest')) ?? '';
    // The manifest's last `type i` line names the incr file Redis was appending to.
    const file = [...readFileSync(join(aofDir, manifest), 'utf8').matchAll(/file (\S+) seq \d+ type i/g)].at(-1)?.[1] ?? '';
    const path = join(aofDir, file);
    const sizeAtKill = statSync(path).size;
    const earlier = this.aofSizes.filter((s) => s.atMs <= killAt - 1000).at(-1);
    const keep = Math.min(sizeAtKill, earlier?.sizes.get(file) ?? 0);
    truncateSync(path, keep);
    // It asks before truncating a torn last command: answer y.
    const fix = spawnSync('redis-check-aof', ['--fix', join(aofDir, manifest)], { input: 'y\n', encoding: 'utf8' });
    const cutBytes = sizeAtKill - statSync(path).size;
    const upAtMs = await this.start();
    return { cutBytes, file, fixOutput: `${fix.stdout}${fix.stderr}`.trim().split('\n').slice(-1)[0] ?? '', upAtMs };
  }

  private incrSizes(): Map<string, number> {
    const sizes = new Map<string, number>();
    try {
      const aofDir = join(this.opts.dir, 'appendonlydir');
      for (const f of readdirSync(aofDir)) if (f.endsWith('.incr.aof')) sizes.set(f, statSync(join(aofDir, f)).size);
    } catch {
      // No AOF dir yet (or it was wiped): nothing to sample.
    }
    return sizes;
  }

  /** Drops the data directory: the next start comes up empty (Redis lost its disk, or never persisted). */
  wipe(): void {
    rmSync(join(this.opts.dir, 'appendonlydir'), { recursive: true, force: true });
    rmSync(join(this.opts.dir, 'dump.rdb'), { force: true });
  }

  signal(sig: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(sig);
  }

  async stop(): Promise<void> {
    if (this.aofTimer) clearInterval(this.aofTimer);
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGCONT');
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
