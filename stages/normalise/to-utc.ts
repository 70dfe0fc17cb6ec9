import { parseFeedDate } from '../feeds/parse-feed-date.js';

/**
 * An ISO 8601 UTC timestamp ending in Z, or null when the input is not a date newsloom can trust.
 * Dates without a zone are UTC, never the worker's local time (parseFeedDate).
 */
export function toUtc(value: string | null | undefined): string | null {
  const iso = parseFeedDate(value ?? null);
  // Years before 1990 are parse accidents ("0001-01-01", epoch 0 from a bad CMS), not news.
  return iso !== null && iso >= '1990' ? iso : null;
}
