// A date-time without an offset ("2024-03-05T10:00:00") is read as UTC rather than as the host's
// local time, so the same page gives the same instant on every worker.
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)\b)\s*$/i;

/** A page's date string as ISO 8601 in UTC ending in Z, or null when it cannot be read. */
export function toIsoDate(value: string | null | undefined): string | null {
  const raw = value?.trim();
  if (!raw || raw.length > 64) return null;
  const ms = parse(raw);
  if (Number.isNaN(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  // Outside this range it is a parsing accident (an id, a "0000-00-00"), not a publication date.
  if (year < 1990 || year > 2100) return null;
  return new Date(ms).toISOString();
}

function parse(raw: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return Date.parse(`${raw}T00:00:00Z`);
  if (ISO_WITHOUT_OFFSET.test(raw)) return Date.parse(`${raw.replace(' ', 'T')}Z`);
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw) || HAS_ZONE.test(raw)) return Date.parse(raw);
  // "March 5, 2024 10:00" has no zone: read it as UTC, not as the worker's local time.
  const asUtc = Date.parse(`${raw} UTC`);
  return Number.isNaN(asUtc) ? Date.parse(raw) : asUtc;
}
