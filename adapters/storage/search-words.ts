/** The words of a search query, lowercased: letters and digits only, so no query syntax reaches the backend. */
export function searchWords(query: string, max = 32): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}
