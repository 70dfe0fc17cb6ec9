// What /proc says of a process: CPU time and memory, read by the bench's sampler.
import { readFileSync } from 'node:fs';

const TICK_MS = 1000 / 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** utime + stime of every thread of the process, ms; 0 once it is gone. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The whole machine's CPU time so far, ms summed over cores (/proc/stat): busy (all but idle and iowait) and total. */
export function machineCpuMs(): { busy: number; total: number } {
  const fields = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]?.split(/\s+/).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
  const total = fields.slice(0, 8).reduce((s, v) => s + v, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

export function procStatusKb(pid: number, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
