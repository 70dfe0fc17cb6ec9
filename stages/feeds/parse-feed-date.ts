// Zone abbreviations seen in real feeds that Date.parse does not know (it knows GMT, UT, UTC, Z
// and the US zones). IST is taken as India, by far its most common meaning in news feeds.
const ZONES = new Map<string, string>([
  ['CET', '+0100'], ['CEST', '+0200'], ['MET', '+0100'], ['MEST', '+0200'], ['WET', '+0000'], ['WEST', '+0100'],
  ['EET', '+0200'], ['EEST', '+0300'], ['BST', '+0100'], ['MSK', '+0300'], ['IST', '+0530'], ['SGT', '+0800'],
  ['HKT', '+0800'], ['JST', '+0900'], ['KST', '+0900'], ['AWST', '+0800'], ['ACST', '+0930'], ['AEST', '+1000'],
  ['AEDT', '+1100'], ['NZST', '+1200'], ['NZDT', '+1300'], ['BRT', '-0300'], ['ART', '-0300'], ['AKST', '-0900'],
  ['AKDT', '-0800'], ['HST', '-1000'],
]);

/**
 * A feed date (RFC 822, RFC 3339 and the usual sloppiness: padding, unknown zone names, no zone)
 * as ISO 8601 UTC ending in Z, or null when it is not a believable date. Dates without a zone are
 * taken as UTC, never as the worker's local time.
 */
export function parseFeedDate(raw: string | null): string | null {
  if (raw === null) return null;
  let s = raw.trim().replace(/\s+/g, ' ');
  if (s === '') return null;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$/i.test(s)) {
    s = `${s.replace(' ', 'T').replace(',', '.')}Z`;
  } else {
    const zone = / ([A-Z]{3,4})$/.exec(s);
    const offset = zone ? ZONES.get(zone[1]!) : undefined;
    if (offset !== undefined) s = `${s.slice(0, -zone![1]!.length)}${offset}`;
    else if (/(?:^| )\d{1,2}:\d{2}(?::\d{2})?$/.test(s)) s = `${s} +0000`;
  }
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1970 && year <= 2100 ? new Date(ms).toISOString() : null;
}
