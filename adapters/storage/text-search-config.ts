/**
 * PostgreSQL text search configurations by ISO 639-1 code (the snowball stemmers shipped since
 * PostgreSQL 13); a language without one is indexed with 'simple' (lowercased words, no stemming).
 */
export const TEXT_SEARCH_CONFIG_BY_LANGUAGE: Readonly<Record<string, string>> = {
  ar: 'arabic', ca: 'catalan', da: 'danish', de: 'german', el: 'greek', en: 'english', es: 'spanish',
  eu: 'basque', fi: 'finnish', fr: 'french', ga: 'irish', hi: 'hindi', hu: 'hungarian', hy: 'armenian',
  id: 'indonesian', it: 'italian', lt: 'lithuanian', nb: 'norwegian', ne: 'nepali', nl: 'dutch',
  nn: 'norwegian', no: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian', sr: 'serbian',
  sv: 'swedish', ta: 'tamil', tr: 'turkish', yi: 'yiddish',
};

/** Every configuration name textSearchConfig may answer, 'simple' included. */
export const TEXT_SEARCH_CONFIGS: readonly string[] = [...new Set([...Object.values(TEXT_SEARCH_CONFIG_BY_LANGUAGE), 'simple'])].sort();

/** The configuration for a language tag ("en", "pt-BR"), among those `available`; else 'simple'. */
export function textSearchConfig(language: string | null, available: ReadonlySet<string>): string {
  const config = language ? TEXT_SEARCH_CONFIG_BY_LANGUAGE[language.toLowerCase().split(/[-_]/)[0]!] : undefined;
  return config && available.has(config) ? config : 'simple';
}
