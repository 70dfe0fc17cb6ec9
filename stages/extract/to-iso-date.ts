import { parseFeedDate } from '../feeds/parse-feed-date.js';

// The web had no news sites before this: an earlier year is a parsing accident ("0000-00-00", an id).
const EARLIEST_MS = Date.UTC(1995, 0, 1);
// Clocks and time zones drift: a date up to a day past the fetch is a publisher's clock, not an error.
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

export interface DateBounds {
  /** When the page was fetched (ISO); later than a day past this, a date is rejected. Defaults to now. */
  fetchedAt?: string | null;
}

/** A page's date string as ISO 8601 in UTC ending in Z; null when unreadable, before 1995, or more than a day after `fetchedAt`. */
export function toIsoDate(value: string | number | null | undefined, bounds: DateBounds = {}): string | null {
  const raw = typeof value === 'number' ? String(value) : value?.trim();
  if (!raw || raw.length > 64) return null;
  const ms = parse(raw);
  if (Number.isNaN(ms) || ms < EARLIEST_MS) return null;
  const fetchedMs = bounds.fetchedAt ? Date.parse(bounds.fetchedAt) : Number.NaN;
  // A page is fetched before it is read, so "now" bounds it from above when fetchedAt is unknown.
  if (ms > (Number.isNaN(fetchedMs) ? Date.now() : fetchedMs) + FUTURE_SLACK_MS) return null;
  return new Date(ms).toISOString();
}

// Pages write dates as feeds do (RFC 822 and ISO 8601 in all their variants, zone abbreviations,
// no zone read as UTC), plus Unix time and compact dates some CMSs emit: one parser for both.
function parse(raw: string): number {
  // Unix time, as some CMSs write it: 10 digits are seconds, 13 milliseconds.
  if (/^\d{10}$/.test(raw)) return Number(raw) * 1000;
  if (/^\d{13}$/.test(raw)) return Number(raw);
  const iso = parseFeedDate(raw);
  return iso === null ? Number.NaN : Date.parse(iso);
}
