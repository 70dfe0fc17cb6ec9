/** `href` made absolute against `base`; null unless the result is http(s), so no javascript: or data: URL survives. */
export function resolveUrl(href: string | null | undefined, base: string): string | null {
  const raw = href?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
