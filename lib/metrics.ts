/** In-process counters and timings per stage, exposed at /metrics in Prometheus text format. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly durations = new Map<string, { count: number; sumMs: number }>();

  inc(name: string, labels: Record<string, string>, by = 1): void {
    const k = series(name, labels);
    this.counters.set(k, (this.counters.get(k) ?? 0) + by);
  }

  observe(name: string, labels: Record<string, string>, ms: number): void {
    const k = series(name, labels);
    const d = this.durations.get(k) ?? { count: 0, sumMs: 0 };
    d.count++;
    d.sumMs += ms;
    this.durations.set(k, d);
  }

  get(name: string, labels: Record<string, string>): number {
    return this.counters.get(series(name, labels)) ?? 0;
  }

  /** Sum of a counter over every label set. */
  total(name: string): number {
    let sum = 0;
    for (const [k, v] of this.counters) if (k === name || k.startsWith(`${name}{`)) sum += v;
    return sum;
  }

  render(): string {
    const lines: string[] = [];
    for (const [k, v] of this.counters) lines.push(`${k} ${v}`);
    for (const [k, d] of this.durations) {
      const brace = k.indexOf('{');
      const [name, rest] = brace < 0 ? [k, ''] : [k.slice(0, brace), k.slice(brace)];
      lines.push(`${name}_seconds_count${rest} ${d.count}`, `${name}_seconds_sum${rest} ${(d.sumMs / 1000).toFixed(6)}`);
    }
    return `${lines.sort().join('\n')}\n`;
  }
}

function series(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}
