// Zone abbreviations seen in real feeds, as minutes east of UTC. RFC 822 §5 names UT/GMT and the
// US zones; the rest come from real feeds. IST is taken as India, its commonest meaning in news.
const ZONES = new Map<string, number>(
  Object.entries({
    UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
    CET: 60, CEST: 120, MET: 60, MEST: 120, WEST: 60, EET: 120, EEST: 180, BST: 60, MSK: 180, IST: 330, SGT: 480, HKT: 480,
    JST: 540, KST: 540, AWST: 480, ACST: 570, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, BRT: -180, ART: -180, AKST: -540,
    AKDT: -480, HST: -600, AST: -240, ADT: -180, NST: -210, NDT: -150, PHT: 480, WIB: 420, ICT: 420,
  }),
);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// W3C-DTF / ISO 8601 / RFC 3339, extended or basic, date-only or partial (2024, 2024-03), "T" or space.
const ISO =
  /^(\d{4})(?:[-/]?(\d{2})(?:[-/]?(\d{2}))?)?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC. */
  offset: number;
}

/**
 * A feed date (RFC 822/1123/2822 in all its variants, RFC 3339 / ISO 8601 / W3C-DTF, asctime,
 * `dc:date`) as ISO 8601 UTC ending in Z, or null when it is not a believable date. Dates without
 * a zone are taken as UTC, never as the worker's local time.
 */
export function parseFeedDate(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.replace(/\([^)]*\)/g, ' ').trim().replace(/\s+/g, ' ');
  if (s === '') return null;
  const parts = isoParts(s) ?? rfc822Parts(s);
  if (parts === null || !valid(parts) || parts.year < 1900 || parts.year > 2100) return null;
  const ms = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.ms) - parts.offset * 60_000;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1900 && year <= 2100 ? new Date(ms).toISOString() : null;
}

function isoParts(s: string): Parts | null {
  const m = ISO.exec(s);
  if (m === null) return null;
  const n = (v: string | undefined, dflt: number) => (v === undefined ? dflt : Number(v));
  return {
    year: Number(m[1]), month: n(m[2], 1), day: n(m[3], 1), hour: n(m[4], 0), minute: n(m[5], 0), second: n(m[6], 0),
    ms: m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000),
    offset: m[8] === undefined ? 0 : zoneOffset(m[8]) ?? 0,
  };
}

/** Day, month name, year, time and zone in whatever order and punctuation real feeds use. */
function rfc822Parts(s: string): Parts | null {
  // RFC 850 writes "05-Mar-24"; some feeds "05/Mar/2024".
  const tokens = s
    .replace(/\b(\d{1,2})[-/]([a-z]{3,9})[-/](\d{2,4})\b/i, '$1 $2 $3')
    .replace(/,/g, ' ').replace(/(\d)(?=[+-]\d{2}:?\d{2}$)/, '$1 ').replace(/(\d)(?=[a-z]+$)/i, '$1 ').split(' ');
  const numbers: string[] = [];
  let month = 0;
  let time: number[] | null = null;
  let offset: number | null = null;
  let pm: boolean | null = null;
  for (const t of tokens) {
    const lower = t.toLowerCase().replace(/\.$/, '');
    if (t === '') continue;
    if (/^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(t)) time = t.split(':').map(Number);
    else if (/^\d{1,4}$/.test(t) || /^\d{1,2}(?:st|nd|rd|th)$/i.test(t)) numbers.push(t.replace(/\D/g, ''));
    else if (lower === 'am' || lower === 'pm') pm = lower === 'pm';
    else if (month === 0 && lower.length >= 3 && MONTHS.includes(lower.slice(0, 3)) && /^[a-z]+$/.test(lower)) month = MONTHS.indexOf(lower.slice(0, 3)) + 1;
    else if (lower.length >= 2 && DAYS.includes(lower.slice(0, 3)) && /^[a-z]+$/.test(lower)) continue;
    else if (offset === null && zoneOffset(t) !== null) offset = zoneOffset(t);
    else if (!/^[a-z]{1,5}$/i.test(t)) return null;
  }
  const [day, year] = dayAndYear(numbers);
  if (month === 0 || day === null || year === null) return null;
  let [hour = 0, minute = 0, second = 0] = time ?? [];
  if (pm !== null && hour <= 12) hour = (hour % 12) + (pm ? 12 : 0);
  return { year, month, day, hour, minute, second: Math.floor(second), ms: 0, offset: offset ?? 0 };
}

/** "01 Mar 24" is day-month-year; a four-digit number is always the year. Two-digit years per RFC 2822 §4.3. */
function dayAndYear(numbers: string[]): [number | null, number | null] {
  if (numbers.length !== 2) return [null, null];
  const [a, b] = numbers as [string, string];
  const [d, y] = a.length === 4 ? [b, a] : [a, b];
  if (d.length > 2) return [null, null];
  const year = y.length === 4 ? Number(y) : y.length <= 2 ? (Number(y) < 50 ? 2000 : 1900) + Number(y) : null;
  return [Number(d), year];
}

/**
 * "+0100", "-05:00", "+1", "GMT+2", named zones. RFC 822's single-letter military zones were defined
 * with the wrong sign, so all but Z count as UTC (RFC 2822 §4.3); unknown names are null.
 */
function zoneOffset(t: string): number | null {
  const z = t.toUpperCase();
  const m = /^(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (m !== null) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  }
  if (/^[A-IK-Y]$/.test(z)) return 0;
  return ZONES.get(z) ?? null;
}

function valid(p: Parts): boolean {
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return (
    p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysInMonth &&
    p.hour <= 23 && p.minute <= 59 && p.second <= 60 && Math.abs(p.offset) <= 14 * 60
  );
}
