const TYPOGRAPHIC = /[\u2018\u2019\u201B\u02BC`\u201C\u201D\u201E\u00AB\u00BB\u2013\u2014]/;

/**
 * Maps typographic quotes and dashes to their ASCII forms, so "Israel’s" and "Israel's" share
 * features: the training corpus is mostly ASCII, news pages mostly are not.
 */
export function normaliseToken(token: string): string {
  // Most tokens have none: one test instead of three replacements.
  if (!TYPOGRAPHIC.test(token)) return token;
  return token
    .replace(/[\u2018\u2019\u201B\u02BC`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2013\u2014]/g, '-');
}
