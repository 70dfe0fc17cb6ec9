import { writeFileSync } from 'node:fs';

export interface CaseResult {
  observed: string;
  pass: boolean;
  /** Extra lines printed under the table (failures, per-vector detail). */
  details?: string[];
}

export interface SecurityCase {
  id: string;
  title: string;
  expected: string;
  /** Run in `--quick` too (CI). */
  quick: boolean;
  /** Time-bound cases that only wait on a server run together; their memory is not measured. */
  parallel?: boolean;
  run(): Promise<CaseResult>;
}

export interface Row {
  id: string;
  title: string;
  expected: string;
  observed: string;
  pass: boolean;
  ms: number;
  /** Peak RSS over the value before the case, MiB; null when not measured (parallel cases). */
  extraMiB: number | null;
  details: string[];
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs one case, timing it and sampling this process's RSS every 5 ms; a throw is a failed case, never a crash. */
export async function runCase(c: SecurityCase, measure = true): Promise<Row> {
  gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = measure ? setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5) : null;
  const started = performance.now();
  let result: CaseResult;
  try {
    result = await c.run();
  } catch (err) {
    result = { observed: `threw ${(err as Error)?.stack ?? String(err)}`.slice(0, 300), pass: false };
  }
  const ms = Math.round(performance.now() - started);
  if (sampler) clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    id: c.id, title: c.title, expected: c.expected, observed: result.observed, pass: result.pass, ms,
    extraMiB: measure ? Math.round(((peak - base) / 1024 ** 2) * 10) / 10 : null, details: result.details ?? [],
  };
}

/** Runs the parallel cases together, then the others one by one. */
export async function runCases(cases: SecurityCase[], onRow: (row: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const together = cases.filter((c) => c.parallel);
  for (const row of await Promise.all(together.map((c) => runCase(c, false)))) {
    rows.push(row);
    onRow(row);
  }
  for (const c of cases.filter((c) => !c.parallel)) {
    const row = await runCase(c);
    rows.push(row);
    onRow(row);
  }
  return rows;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function formatRow(r: Row): string {
  const mem = r.extraMiB === null ? '-' : r.extraMiB.toFixed(1);
  return [
    r.id.padEnd(9),
    clip(r.title, 38).padEnd(38),
    clip(r.expected, 34).padEnd(34),
    clip(r.observed, 58).padEnd(58),
    (r.pass ? 'PASS' : 'FAIL').padEnd(4),
    `${r.ms}`.padStart(7),
    mem.padStart(7),
  ].join(' | ');
}

export function tableHeader(): string {
  const head = ['case'.padEnd(9), 'title'.padEnd(38), 'expected'.padEnd(34), 'observed'.padEnd(58), 'pass', 'ms'.padStart(7), 'MiB+'.padStart(7)].join(' | ');
  return `${head}\n${'-'.repeat(head.length)}`;
}

export function printSummary(rows: Row[], extra: { canaryHits: number; elapsedMs: number; mode: string }): string {
  const passed = rows.filter((r) => r.pass).length;
  const lines = [
    '',
    `security (${extra.mode}): ${passed}/${rows.length} cases pass; canary connections: ${extra.canaryHits}; crashes: 0; ${Math.round(extra.elapsedMs / 1000)} s`,
  ];
  for (const r of rows) {
    if (!r.pass || r.details.length > 0) {
      lines.push(`  ${r.id} ${r.pass ? '' : 'FAIL '}${r.observed}`);
      for (const d of r.details.slice(0, 30)) lines.push(`      ${d}`);
      if (r.details.length > 30) lines.push(`      … ${r.details.length - 30} more`);
    }
  }
  return lines.join('\n');
}

export function writeJson(path: string, rows: Row[], extra: Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify({ ...extra, rows }, null, 2)}\n`);
}
