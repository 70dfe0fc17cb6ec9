// The chaos run's own redis-server: unlike test/helpers/redis.ts it can be killed with SIGKILL,
// frozen with SIGSTOP and started again on the same port and directory (from its AOF, or empty).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
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

  /** Drops the data directory: the next start comes up empty (Redis lost its disk, or never persisted). */
  wipe(): void {
    rmSync(join(this.opts.dir, 'appendonlydir'), { recursive: true, force: true });
    rmSync(join(this.opts.dir, 'dump.rdb'), { force: true });
  }

  signal(sig: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(sig);
  }

  async stop(): Promise<void> {
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
