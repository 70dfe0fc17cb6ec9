/** `Cache-Control: max-age` (or `s-maxage`) in milliseconds; null when absent or when caching is refused. */
export function cacheMaxAgeMs(cacheControl: string | undefined): number | null {
  if (!cacheControl) return null;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return null;
  let best: number | null = null;
  for (const d of directives) {
    const m = /^s?-?max-?age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m) best = Math.max(best ?? 0, Number(m[1]) * 1000);
  }
  return best;
}
