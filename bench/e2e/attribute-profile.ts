// Where the CPU of a `node --cpu-prof` run goes, per pipeline stage and for the queue plumbing.
// Each sample is attributed by its stack: the innermost frame in stages/<stage>/ wins; without one,
// the innermost frame that names a job's owner (an adapter, a workers/<stage>.ts file) or the queue
// layer (bullmq, workers/define.ts, queues/) decides. ioredis frames decide nothing by themselves
// (the caller does); a stack with ioredis and no caller is a reply being parsed on the socket, counted
// as plumbing. Whole threads of the extraction and feed-parser pools count to their stage.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export const PLUMBING_ROWS = ['queue: bullmq', 'queue: ioredis replies'] as const;
export const IDLE = '(idle)';

const ADAPTERS: Array<[RegExp, string]> = [
  [/\/adapters\/http\//, 'fetch'],
  [/\/adapters\/redis\/host-gate/, 'fetch'],
  [/\/adapters\/redis\/page-store/, 'page store'],
  [/\/adapters\/feed-parser-thread\//, 'feeds'],
  [/\/adapters\/([a-z]+)-thread\//, '$1'],
  [/\/adapters\/thread-pool\//, 'thread hand-off'],
  [/\/adapters\/enrich\//, 'enrich'],
  [/\/adapters\/webhooks\//, 'webhooks'],
  [/\/adapters\/storage\//, 'store'],
  [/\/adapters\/redis\/event-stream/, 'store'],
  [/\/adapters\/redis\/story-index/, 'dedupe'],
  [/\/adapters\/redis\/(seen-store|feed-state-store)/, 'feeds'],
  [/\/adapters\/redis\/term-stats/, 'enrich/keywords'],
  [/\/workers\/(feeds|fetch|extract|normalise|dedupe|enrich|store)\.ts/, '$1'],
  [/\/workers\/publish-outbox/, 'store'],
  [/\/workers\/skip-page/, 'fetch'],
  [/\/node_modules\/(better-sqlite3|pg|pg-pool|pg-protocol)\//, 'store'],
  [/\/node_modules\/(bullmq|msgpackr)\/|\/workers\/(define|run)\.ts|\/queues\//, 'queue: bullmq'],
  [/\/node_modules\/(pino|sonic-boom|pino-std-serializers|thread-stream)\/|\/lib\/log\.ts/, 'logging'],
  [/\/dashboard\/|\/node_modules\/(express|@bull-board|prom-client|router)\/|\/lib\/metrics\.ts/, 'dashboard & metrics'],
  [/\/node_modules\/(tsx|esbuild|get-tsconfig)\//, 'module loading (tsx)'],
];
const REDIS_CLIENT = /\/node_modules\/(ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback)\//;

/** The row of one frame's stack position: a stage frame, or null when this frame decides nothing. */
function stageOf(url: string): string | null {
  const m = /\/stages\/([a-z]+)\/(?:([a-z-]+)\/)?/.exec(url);
  if (!m || url.includes('/node_modules/')) return null;
  return m[1] === 'enrich' && m[2] ? `enrich/${m[2]}` : m[1]!;
}

function ownerOf(url: string): string | null {
  for (const [re, row] of ADAPTERS) {
    const m = re.exec(url);
    if (m) return row.replace('$1', m[1] ?? '');
  }
  return null;
}

/** Row per node, top-down: each node knows the innermost stage and owner on its path. */
function classify(profile: CpuProfile): Map<number, string> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const rows = new Map<number, string>();
  const root = profile.nodes[0]!;
  const stack: Array<{ id: number; stage: string | null; owner: string | null; redis: boolean }> = [{ id: root.id, stage: null, owner: null, redis: false }];
  while (stack.length > 0) {
    const { id, stage: s0, owner: o0, redis: r0 } = stack.pop()!;
    const node = byId.get(id)!;
    const { url, functionName } = node.callFrame;
    const stage = stageOf(url) ?? s0;
    const owner = ownerOf(url) ?? o0;
    const redis = r0 || REDIS_CLIENT.test(url);
    let row: string;
    if (functionName === '(idle)') row = IDLE;
    else if (functionName === '(garbage collector)') row = 'GC';
    else if (functionName === '(program)') row = '(program)';
    // An owner below a redis frame (a callback it called) still decides: the innermost wins.
    else row = stage ?? owner ?? (redis ? 'queue: ioredis replies' : 'other (node, libraries)');
    rows.set(id, row);
    for (const c of node.children ?? []) stack.push({ id: c, stage, owner, redis });
  }
  return rows;
}

const UNOWNED = new Set(['GC', '(program)', 'other (node, libraries)', 'module loading (tsx)']);

/**
 * A pool thread's GC, (program) and unowned samples belong to the stage it works for: the stage
 * most of its owned samples name. Threads that own nothing (the tsx loader's hooks threads) are one row.
 */
function assignThread(profile: CpuProfile, rows: Map<number, string>): void {
  const owned = new Map<string, number>();
  for (const id of profile.samples) {
    const row = rows.get(id)!;
    if (row !== IDLE && !UNOWNED.has(row)) owned.set(row.split('/')[0]!, (owned.get(row.split('/')[0]!) ?? 0) + 1);
  }
  const kind = [...owned].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other threads (tsx loader)';
  for (const [id, row] of rows) if (UNOWNED.has(row)) rows.set(id, kind);
}

export interface Attribution {
  /** Row → ms of samples inside the window (wall time of samples, all threads). */
  rowsMs: Map<string, number>;
  profiles: number;
}

/**
 * Reads every .cpuprofile in `dir` of the processes `pids` (spawned at `spawnedAtMs`) and sums the
 * samples that fall in [fromMs, toMs] by row.
 */
export function attributeProfiles(dir: string, procs: Array<{ pid: number; spawnedAtMs: number }>, fromMs: number, toMs: number): Attribution {
  const rowsMs = new Map<string, number>();
  let count = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const { pid, spawnedAtMs } of procs) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
    const mine = files.map((f) => ({ f, m: /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(f) })).filter((x) => x.m && Number(x.m[1]) === pid);
    const main = mine.find((x) => x.m![2] === '0');
    if (!main) continue;
    const mainStart = (JSON.parse(readFileSync(join(dir, main.f), 'utf8')) as CpuProfile).startTime;
    for (const { f, m } of mine) {
      const profile = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
      count++;
      const rows = classify(profile);
      if (m![2] !== '0') assignThread(profile, rows);
      let t = profile.startTime;
      for (let i = 0; i < profile.samples.length; i++) {
        t += profile.timeDeltas[i] ?? 0;
        const atMs = spawnedAtMs + (t - mainStart) / 1000;
        if (atMs < fromMs || atMs > toMs) continue;
        const weightMs = Math.min(profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0, 100_000) / 1000;
        const row = rows.get(profile.samples[i]!) ?? 'other (node, libraries)';
        rowsMs.set(row, (rowsMs.get(row) ?? 0) + weightMs);
      }
    }
  }
  return { rowsMs, profiles: count };
}
