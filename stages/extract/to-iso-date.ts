// A date-time without an offset ("2024-03-05T10:00:00") is read as UTC rather than as the host's
// local time, so the same page gives the same instant on every worker.
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)\b)\s*$/i;
// Zone abbreviations Date.parse does not know (it knows only UT, GMT and the US ones), common on news sites.
const ZONES: Record<string, string> = { BST: '+01:00', IST: '+05:30', CET: '+01:00', CEST: '+02:00', EET: '+02:00', EEST: '+03:00', WET: '+00:00', WEST: '+01:00', JST: '+09:00', KST: '+09:00', AEST: '+10:00', AEDT: '+11:00', NZST: '+12:00', NZDT: '+13:00', SGT: '+08:00', HKT: '+08:00' };
const ZONE_ABBREVIATION = new RegExp(`\\s*\\b(${Object.keys(ZONES).join('|')})\\s*$`);
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

function parse(raw: string): number {
  // Unix time, as some CMSs write it: 10 digits are seconds, 13 milliseconds.
  if (/^\d{10}$/.test(raw)) return Number(raw) * 1000;
  if (/^\d{13}$/.test(raw)) return Number(raw);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (compact) return Date.parse(`${compact[1]}-${compact[2]}-${compact[3]}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return Date.parse(`${raw}T00:00:00Z`);
  if (ISO_WITHOUT_OFFSET.test(raw)) return Date.parse(`${raw.replace(' ', 'T')}Z`);
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(raw) || HAS_ZONE.test(raw)) return Date.parse(raw);
  const zone = ZONE_ABBREVIATION.exec(raw);
  if (zone?.[1]) return Date.parse(`${raw.slice(0, zone.index)} GMT${ZONES[zone[1]]?.replace(':', '')}`);
  // "March 5, 2024 10:00" has no zone: read it as UTC, not as the worker's local time.
  const asUtc = Date.parse(`${raw} UTC`);
  return Number.isNaN(asUtc) ? Date.parse(raw) : asUtc;
}
