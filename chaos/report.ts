// The chaos tables: one row per case, then each case's details (reasons, recovery trials, peak
// RSS, targets, the first lost URLs).
import { fmt, type ResumeTrial } from './case-env.js';
import { quantiles, type CaseReport } from './cases.js';

const pad = (s: string | number, n: number) => String(s).padStart(n);
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const sec = (ms: number) => (Number.isNaN(ms) ? '–' : (ms / 1000).toFixed(1));

/** Redis trials count from Redis accepting connections until both workers and storing are back. */
function resumeMs(t: ResumeTrial): number {
  if (t.workersBackMs === null || (!t.nothingLeft && t.storedMovesMs === null)) return Number.POSITIVE_INFINITY;
  return Math.max(t.workersBackMs, t.nothingLeft ? 0 : t.storedMovesMs!);
}

export function printReports(reports: CaseReport[]): void {
  console.log('');
  console.log('case             N  accepted  stored  lost  dup  dup_events s/o  unexp  failed  skipped  kill→re-run p50/p95/max s: net (raw)  redis→resumed p50/p95/max s  Redis MB before→after');
  for (const r of reports) {
    const c = r.check;
    const k = quantiles(r.kills.flatMap((t) => (t.recoveryMs === null ? [] : [t.recoveryMs])));
    const kn = quantiles(r.kills.flatMap((t) => (t.netRecoveryMs === null ? [] : [t.netRecoveryMs])));
    const rs = quantiles(r.resumes.map(resumeMs));
    const cols = c
      ? `${pad(c.accepted, 9)} ${pad(c.stored, 7)} ${pad(c.lost.length, 5)} ${pad(c.duplicated, 4)} ${pad(`${c.dupEventsStream}/${c.dupEventsOutbox}`, 15)} ${pad(c.unexpected.length, 6)} ${pad(c.failedWithReason, 7)} ${pad(c.skipped, 8)}`
      : `${pad('–', 9)} ${pad('–', 7)} ${pad('–', 5)} ${pad('–', 4)} ${pad('–', 15)} ${pad('–', 6)} ${pad('–', 7)} ${pad('–', 8)}`;
    console.log(`${r.name.padEnd(15)} ${pad(r.n, 2)} ${cols}  ${pad(r.kills.length ? `${sec(kn.p50)}/${sec(kn.p95)}/${sec(kn.max)} (${sec(k.p50)}/${sec(k.p95)}/${sec(k.max)})` : '–', 36)}  ${pad(r.resumes.length ? `${sec(rs.p50)}/${sec(rs.p95)}/${sec(rs.max)}` : '–', 27)}  ${mb(r.usedBefore)}→${mb(r.usedAfter)}`);
  }
  for (const r of reports) printDetails(r);
}

/** Where a kill's time goes: until BullMQ found its jobs stalled, then until they ran again; per trial, net of Redis outages. */
function printKillBreakdown(r: CaseReport): void {
  const jobs = r.kills.flatMap((k) => k.jobs);
  const stalled = quantiles(jobs.flatMap((j) => (j.stalledMs === null ? [] : [j.stalledMs])));
  const after = quantiles(jobs.flatMap((j) => (j.stalledMs === null ? [] : [Math.max(0, j.rerunMs - j.stalledMs)])));
  const net = quantiles(jobs.map((j) => j.netMs));
  console.log(`  per job: found stalled p50/p95/max ${sec(stalled.p50)}/${sec(stalled.p95)}/${sec(stalled.max)} s after the kill (${jobs.filter((j) => j.stalledMs !== null).length} of ${jobs.length} seen stalled), ` +
    `then running again ${sec(after.p50)}/${sec(after.p95)}/${sec(after.max)} s later; net of Redis outages ${sec(net.p50)}/${sec(net.p95)}/${sec(net.max)} s`);
  const byQueue = new Map<string, number[]>();
  for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j.netMs]);
  console.log(`  per queue, net p95 (jobs): ${[...byQueue].map(([q, xs]) => `${q} ${sec(quantiles(xs).p95)} (${xs.length})`).join(', ')}`);
  const gaps = [...r.stallCheckGapsMs].map(([q, xs]) => `${q} ${sec(quantiles(xs).p50)}/${sec(quantiles(xs).max)}`);
  if (gaps.length) console.log(`  time between stall checks p50/max s (queues.stalledInterval plus event-loop and Redis delays): ${gaps.join(', ')}`);
  const slow = r.kills.filter((k) => k.recoveryMs !== null).sort((a, b) => b.recoveryMs! - a.recoveryMs!).slice(0, 5);
  console.log(`  slowest trials raw → net: ${slow.map((k) => `${sec(k.recoveryMs!)} → ${sec(k.netRecoveryMs!)}${Object.keys(k.outageMs).length ? ` [${Object.entries(k.outageMs).map(([o, ms]) => `${o} ${sec(ms)}`).join(', ')}]` : ''}`).join('; ')}`);
}

function printDetails(r: CaseReport): void {
  const c = r.check;
  console.log('');
  console.log(`── ${r.name} (N=${r.n})${r.quiescent ? '' : ' — NOT quiescent at the cap: items still in flight count as lost'}`);
  if (c) {
    console.log(`  rows ${c.rows}; stream entries ${c.streamEntries}; event ids appended twice ${c.republished}; integrity_check ${c.integrity}`);
    if (c.reasons.length) console.log(`  failed/skipped by reason: ${c.reasons.slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (c.lost.length) {
      const inQ = c.lost.filter((l) => l.inQueue).length;
      const byKind = new Map<string, number>();
      for (const l of c.lost) byKind.set(l.kind, (byKind.get(l.kind) ?? 0) + 1);
      console.log(`  lost ${c.lost.length} (${inQ} still have a job in a queue; by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); first: ${c.lost.slice(0, 8).map((l) => `${l.url}${l.inQueue ? ` [${l.inQueue}]` : ''}`).join(' ')}`);
    }
    if (c.seenNotStored.length) console.log(`  marked seen but neither stored nor skipped: ${c.seenNotStored.length}; first: ${c.seenNotStored.slice(0, 5).join(' ')}`);
    if (c.unexpected.length) console.log(`  unexpected rows: ${c.unexpected.slice(0, 5).join(' ')}`);
    if (c.errors.length) console.log(`  error log lines: ${c.errors.slice(0, 5).map(([m, n]) => `${n}× ${m}`).join(' | ')}`);
  }
  if (r.kills.length) {
    const held = r.kills.filter((k) => k.recoveryMs !== null);
    const jobs = quantiles(held.flatMap((k) => k.perJobMs));
    console.log(`  kill -9 ×${r.kills.length}: ${held.length} held jobs (${held.reduce((n, k) => n + k.heldJobs, 0)} jobs, ${held.reduce((n, k) => n + k.unresolved, 0)} unresolved at the 120 s cap); per job p50/p95/max ${sec(jobs.p50)}/${sec(jobs.p95)}/${sec(jobs.max)} s`);
    const stuck = r.kills.flatMap((k) => k.unresolvedJobs.map((d) => `${k.role} at ${((k.atMs - r.kills[0]!.atMs) / 1000).toFixed(0)} s: ${d}`));
    for (const line of stuck.slice(0, 8)) console.log(`    unresolved: ${line}`);
    printKillBreakdown(r);
  }
  for (const t of r.resumes) console.log(`  ${t.fault}: workers back ${fmt(t.workersBackMs)}, storing again ${t.nothingLeft ? 'n/a (nothing left)' : fmt(t.storedMovesMs)}${t.missingWorkers ? `; never back: ${t.missingWorkers}` : ''}`);
  if (r.peakRssKb.size) console.log(`  peak RSS (VmHWM, MB): ${[...r.peakRssKb].map(([role, kb]) => `${role} ${(kb / 1024).toFixed(0)}`).join(', ')}`);
  for (const n of r.notes) console.log(`  note: ${n}`);
  for (const [name, value, ok] of r.targets) console.log(`  ${ok ? 'met    ' : 'NOT met'}  ${name}: ${value}`);
}
