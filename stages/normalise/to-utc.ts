/** An ISO 8601 UTC timestamp ending in Z, or null when the input is not a date newsloom can trust. */
export function toUtc(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value.trim());
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  // Years outside this range are parse accidents ("0001-01-01", epoch 0 from a bad CMS), not news.
  const year = d.getUTCFullYear();
  return year >= 1990 && year <= 2100 ? d.toISOString() : null;
}
