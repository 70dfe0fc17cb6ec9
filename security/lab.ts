import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The security lab: a private network namespace (`unshare -n -m`, root only; catalogue §3) whose
 * loopback carries the "public" fixture host 5.5.5.5 and the private canary addresses, and whose
 * /etc/resolv.conf (bind-mounted in a private mount namespace) points at our DNS server for *.test.
 * Nothing in it can reach, or be reached from, the real network: other processes are unaffected.
 */
export const LAB_ENV = 'NEWSLOOM_SECURITY_LAB';

/** The address the hostile and positive fixtures listen on: public unicast, so the guard lets it through. */
export const PUBLIC_HOST = '5.5.5.5';

/** Private addresses put on lo inside the lab, each with a canary listener. */
export const CANARY_V4 = ['127.0.0.1', '127.0.0.2', '10.0.0.1', '100.64.0.1', '169.254.169.254', '172.16.0.1', '192.168.0.1', '198.18.0.1'];
export const CANARY_V6 = ['::1', 'fd00::1'];

export interface Lab {
  /** True inside the namespace; false when running without root (fewer cases can run). */
  isolated: boolean;
  why: string;
}

/** True when this process is the one re-executed inside the namespace. */
export function inLab(): boolean {
  return process.env[LAB_ENV] === '1';
}

function canUnshare(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('unshare', ['-n', '-m', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Re-runs this script inside a fresh network + mount namespace and returns its exit code, or null
 * when that is not possible (not root, no unshare) and the caller should run degraded.
 */
export function reexecInLab(): number | null {
  if (inLab() || process.env[LAB_ENV] === '0' || !canUnshare()) return null;
  const args = ['-n', '-m', '--', process.execPath, '--expose-gc', ...process.execArgv, ...process.argv.slice(1)];
  const res = spawnSync('unshare', args, { stdio: 'inherit', env: { ...process.env, [LAB_ENV]: '1' } });
  if (res.error) throw res.error;
  return res.status ?? (res.signal ? 128 : 1);
}

/** Inside the namespace: lo up with the extra addresses, and resolv.conf pointing at 127.0.0.1:53. */
export function setupLab(): Lab {
  if (!inLab()) {
    return { isolated: false, why: process.getuid?.() === 0 ? 'unshare -n -m failed' : 'not root: no network namespace' };
  }
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ip('link', 'set', 'lo', 'up');
  for (const a of [PUBLIC_HOST, ...CANARY_V4.filter((a) => !a.startsWith('127.'))]) ip('addr', 'add', `${a}/32`, 'dev', 'lo');
  for (const a of CANARY_V6.filter((a) => a !== '::1')) ip('-6', 'addr', 'add', `${a}/128`, 'dev', 'lo', 'nodad');
  const dir = mkdtempSync(join(tmpdir(), 'newsloom-lab-'));
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  execFileSync('mount', ['--bind', join(dir, 'resolv.conf'), '/etc/resolv.conf']);
  // The mount holds the file open for this namespace's life; the directory entry can go now.
  rmSync(dir, { recursive: true, force: true });
  return { isolated: true, why: 'network namespace with 5.5.5.5 and canaries on lo, DNS on 127.0.0.1:53' };
}
