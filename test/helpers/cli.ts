import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { Article } from '../../stages/article.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = new URL('../../bin/newsloom.mjs', import.meta.url).pathname;

export interface RunningCli {
  output(): { stdout: string; stderr: string };
  /** Waits for the process to exit by itself (SIGKILL after `ms`) and resolves with the exit code. */
  wait(ms: number): Promise<number | null>;
  /** Sends SIGTERM (SIGKILL after 20 s) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the real `newsloom` CLI as a child process, collecting its output. */
export function startCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, NEWSLOOM_CONFIG: '', REDIS_URL: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const killAfter = async (signal: NodeJS.Signals | null, ms: number) => {
    if (signal && child.exitCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { output: () => ({ stdout, stderr }), stop: () => killAfter('SIGTERM', 20_000), wait: (ms) => killAfter(null, ms) };
}

/** Runs the real `newsloom` CLI to completion (killed after timeoutMs) and collects its output. */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const running = startCli(args, opts);
  const code = await running.wait(opts.timeoutMs ?? 120_000);
  return { code, ...running.output() };
}

/** Polls `url` until it answers 200 or `timeoutMs` passes; returns whether it did. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Every stored article, as `newsloom export --jsonl` prints them for this config. */
export async function exportArticles(configPath: string): Promise<Article[]> {
  const r = await runCli(['export', '--jsonl', '--config', configPath]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Article);
}
