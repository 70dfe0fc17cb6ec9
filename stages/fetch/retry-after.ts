const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7), all meaning UTC.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/**
 * The instant (epoch ms) a Retry-After header asks us to wait until, never before `nowMs`; null
 * when absent or unreadable. The value is delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 */
export function retryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return nowMs + Number(v) * 1000;
  const at = httpDate(v, nowMs);
  return at === null ? null : Math.max(at, nowMs);
}

function httpDate(v: string, nowMs: number): number | null {
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(v);
  if (m) return utc(fullYear(Number(m[3]), nowMs), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = ASCTIME_DATE.exec(v);
  if (m) return utc(Number(m[6]), m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!);
  return null;
}

// A two-digit year more than 50 years ahead means the most recent past year with those digits (RFC 9110 §5.6.7).
function fullYear(twoDigits: number, nowMs: number): number {
  const thisYear = new Date(nowMs).getUTCFullYear();
  let year = thisYear - (thisYear % 100) + twoDigits;
  if (year > thisYear + 50) year -= 100;
  return year;
}

function utc(year: number, month: string, day: string, h: string, min: string, s: string): number | null {
  const mon = MONTHS.indexOf(month.toLowerCase());
  const ms = Date.UTC(year, mon, Number(day), Number(h), Number(min), Number(s));
  // Date.UTC rolls "31 Feb" over into March; a date that does not round-trip is not a date.
  const d = new Date(ms);
  if (d.getUTCDate() !== Number(day) || d.getUTCHours() !== Number(h) || d.getUTCMinutes() !== Number(min) || d.getUTCSeconds() !== Number(s)) return null;
  return ms;
}
