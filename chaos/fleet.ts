// The newsloom processes of one case, spawned as a user would (`newsloom start` plus
// `newsloom worker`s), each role logging to its own file across respawns, so a killed process's
// last lines and its successor's are read in order. Peak RSS (VmHWM) is sampled per role, since a
// killed process's /proc entry is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const BIN = new URL('../bin/newsloom.mjs', import.meta.url).pathname;

export interface FleetProcess {
  role: string;
  command: 'start' | 'worker';
  child: ChildProcess;
  spawnedAtMs: number;
  exited: Promise<{ code: number | null; signal: string | null; atMs: number }>;
  /** True while SIGSTOPped: not a target for other faults. */
  frozen: boolean;
}

export class Fleet {
  readonly procs: FleetProcess[] = [];
  readonly peakRssKb = new Map<string, number>();
  readonly spawns = new Map<string, number>();
  /** Set by stopAll: exits from then on are ours. */
  private stopping = false;
  constructor(private readonly dir: string, private readonly configPath: string) {}

  logPath(role: string): string {
    return join(this.dir, `${role.replace(/\s+/g, '-')}.log`);
  }

  /** 1 `newsloom start` and n − 1 `newsloom worker`. */
  launchAll(n: number): void {
    this.launch('start', 'start');
    for (let i = 1; i < n; i++) this.launch(`worker ${i}`, 'worker');
  }

  launch(role: string, command: 'start' | 'worker'): FleetProcess {
    const out = openSync(this.logPath(role), 'a');
    writeSync(out, `## ${new Date().toISOString()} spawn ${command}\n`);
    const child = spawn(process.execPath, [BIN, command, '--config', this.configPath], {
      env: { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '', NODE_OPTIONS: '' },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    const p: FleetProcess = {
      role, command, child, spawnedAtMs: Date.now(), frozen: false,
      exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal, atMs: Date.now() }))),
    };
    const i = this.procs.findIndex((q) => q.role === role);
    if (i >= 0) this.procs[i] = p;
    else this.procs.push(p);
    this.spawns.set(role, (this.spawns.get(role) ?? 0) + 1);
    return p;
  }

  alive(): FleetProcess[] {
    return this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  }

  /** kill -9 and respawn at once; answers the moment of the kill. */
  async kill9(p: FleetProcess): Promise<number> {
    this.sampleRss();
    const at = Date.now();
    p.child.kill('SIGKILL');
    await p.exited;
    this.launch(p.role, p.command);
    return at;
  }

  /** SIGTERM; answers how long the process took to exit (capped) and its exit status; then respawns. */
  async terminate(p: FleetProcess, capMs: number): Promise<{ shutdownMs: number; code: number | null; signal: string | null; forced: boolean }> {
    this.sampleRss();
    const at = Date.now();
    p.child.kill('SIGTERM');
    let forced = false;
    const t = setTimeout(() => {
      forced = true;
      p.child.kill('SIGKILL');
    }, capMs);
    const e = await p.exited;
    clearTimeout(t);
    this.launch(p.role, p.command);
    return { shutdownMs: e.atMs - at, code: e.code, signal: e.signal, forced };
  }

  sampleRss(): void {
    for (const p of this.alive()) {
      const kb = statusKb(p.child.pid!, 'VmHWM');
      if (kb > (this.peakRssKb.get(p.role) ?? 0)) this.peakRssKb.set(p.role, kb);
    }
  }

  /** Processes that died on their own (not by a fault of ours): role and the last log lines. */
  deaths(): string[] {
    if (this.stopping) return [];
    return this.procs.filter((p) => p.child.exitCode !== null && p.child.signalCode === null).map((p) => `${p.role} exited ${p.child.exitCode}: ${tail(this.logPath(p.role))}`);
  }

  async stopAll(): Promise<void> {
    this.sampleRss();
    this.stopping = true;
    await Promise.all(this.alive().map(async (p) => {
      p.child.kill('SIGCONT');
      p.child.kill('SIGTERM');
      const t = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
      await p.exited;
      clearTimeout(t);
    }));
  }
}

export function statusKb(pid: number, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function tail(path: string, lines = 3): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join(' | ').slice(0, 800);
  } catch {
    return '(no log)';
  }
}
