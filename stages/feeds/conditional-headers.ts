/** If-None-Match / If-Modified-Since from what the last successful poll answered (RFC 9110 §13.1). */
export function conditionalHeaders(state: { etag: string | null; lastModified: string | null }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (state.etag) headers['if-none-match'] = state.etag;
  if (state.lastModified) headers['if-modified-since'] = state.lastModified;
  return headers;
}
