import type { HttpGetOptions } from '../adapters/http/http-get.js';
import type { Config } from '../config/schema.js';
import type { Canaries } from './canaries.js';
import type { DnsServer } from './dns-server.js';
import type { HostileSite } from './hostile-site.js';
import type { CaseResult } from './report.js';
import { VECTORS, type Vector } from './vectors.js';

export interface LabEnv {
  site: HostileSite;
  canaries: Canaries;
  dns: DnsServer;
  fetchOpts: HttpGetOptions;
  config: Readonly<Config>;
  quick: boolean;
  wildcardPorts: number[];
}

/** Refused before any connection: the guard's verdict (or a URL the client will not fetch). */
export const REFUSED = new Set(['NL_SSRF', 'NL_URL', 'SAME_HOST']);
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * A Location such as `http:/127.0.0.1/x` is a path relative to the redirecting URL (WHATWG URL):
 * it stays on the public host and is no vector there. Counted as passed, and reported as SAME_HOST.
 */
export function sameHost(o: { code: string; message: string }, vector: string, base: string): { code: string; message: string } {
  if (!o.code.startsWith('ok')) return o;
  const target = URL.canParse(vector, base) ? new URL(vector, base) : null;
  return target !== null && target.host === new URL(base).host ? { code: 'SAME_HOST', message: `relative Location, stays on ${target.host}` } : o;
}

/**
 * Runs every vector through one entry point. A vector passes when it is refused with NL_SSRF or
 * NL_URL (`strict`) or at least never succeeds (`lenient`: the entry point words its own error),
 * and in both cases no canary saw a connection while it ran.
 */
export async function sweep(
  env: LabEnv,
  tryOne: (v: Vector, i: number) => Promise<{ code: string; message: string }>,
  mode: 'strict' | 'lenient' = 'strict',
): Promise<CaseResult> {
  const details: string[] = [];
  let blocked = 0;
  let skipped = 0;
  const hitsBefore = env.canaries.hits();
  for (const [i, v] of VECTORS.entries()) {
    const before = env.canaries.hits();
    let o: { code: string; message: string };
    try {
      o = await tryOne(v, i);
    } catch (err) {
      o = { code: (err as { code?: string }).code ?? 'THROWN', message: String((err as Error).message ?? err) };
    }
    const hit = env.canaries.hits() - before;
    if (o.code === 'SKIPPED') {
      skipped++;
      continue;
    }
    const ok = hit === 0 && (mode === 'strict' ? REFUSED.has(o.code) : !o.code.startsWith('ok'));
    if (ok) blocked++;
    else details.push(`${v.url}: ${o.code}${hit ? `, ${hit} canary hit(s)` : ''} ${o.message.slice(0, 120)}`);
  }
  const hits = env.canaries.hits() - hitsBefore;
  const tried = VECTORS.length - skipped;
  const sample = skipped > 0 ? ` (sample of ${VECTORS.length})` : '';
  return { observed: `blocked ${blocked}/${tried}${sample}, canary ${hits}`, pass: blocked === tried && hits === 0, details };
}
