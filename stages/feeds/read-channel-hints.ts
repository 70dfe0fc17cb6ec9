const PERIOD_MS: Record<string, number> = {
  hourly: 3_600_000, daily: 86_400_000, weekly: 604_800_000, monthly: 2_592_000_000, yearly: 31_536_000_000,
};

/**
 * How often a feed says it changes: RSS 2.0 `<ttl>` (minutes) or the RSS 1.0 syndication module's
 * `sy:updatePeriod` / `sy:updateFrequency` (period divided by frequency). Read from the channel
 * head only (before the first item), where both belong. Null when the feed says nothing usable.
 */
export function readChannelHints(head: string): { minIntervalMs: number | null } {
  const channel = head.split(/<(?:item|entry)[\s>]/i, 1)[0] ?? '';
  const ttl = /<ttl>\s*(\d{1,7})\s*<\/ttl>/i.exec(channel);
  const ttlMs = ttl ? Number(ttl[1]) * 60_000 : null;
  const period = /<sy:updatePeriod>\s*([a-z]+)\s*<\/sy:updatePeriod>/i.exec(channel)?.[1]?.toLowerCase();
  const frequency = Number(/<sy:updateFrequency>\s*(\d{1,6})\s*<\/sy:updateFrequency>/i.exec(channel)?.[1] ?? 1) || 1;
  const syMs = period && PERIOD_MS[period] ? PERIOD_MS[period]! / frequency : null;
  const candidates = [ttlMs, syMs].filter((v): v is number => v !== null && v > 0);
  return { minIntervalMs: candidates.length ? Math.max(...candidates) : null };
}
