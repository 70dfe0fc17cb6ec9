import { createRequire } from 'node:module';
import { placeKey } from './place-key.js';

// News aliases i18n-iso-countries lacks, or where its answer is not the news one ("Congo" alone
// usually means the DRC; "Holland" the Netherlands). Keyed by placeKey.
const NEWS_ALIASES: Record<string, string> = {
  america: 'US', 'united states': 'US', us: 'US', usa: 'US', 'the states': 'US',
  britain: 'GB', 'great britain': 'GB', uk: 'GB', 'united kingdom': 'GB',
  holland: 'NL', netherlands: 'NL', palestine: 'PS', 'state of palestine': 'PS',
  syria: 'SY', russia: 'RU', iran: 'IR', 'south korea': 'KR', korea: 'KR', 'north korea': 'KP', dprk: 'KP',
  'ivory coast': 'CI', 'cote d\'ivoire': 'CI', burma: 'MM', laos: 'LA', vietnam: 'VN', 'viet nam': 'VN',
  venezuela: 'VE', bolivia: 'BO', tanzania: 'TZ', moldova: 'MD', macedonia: 'MK', 'north macedonia': 'MK',
  swaziland: 'SZ', 'cape verde': 'CV', 'east timor': 'TL', brunei: 'BN', micronesia: 'FM',
  uae: 'AE', emirates: 'AE', 'united arab emirates': 'AE', saudi: 'SA', 'saudi arabia': 'SA', kosovo: 'XK',
  congo: 'CD', drc: 'CD', 'dr congo': 'CD', 'democratic republic of congo': 'CD', 'congo brazzaville': 'CG',
  'republic of congo': 'CG', bosnia: 'BA', 'bosnia and herzegovina': 'BA', turkey: 'TR', turkiye: 'TR',
  'czech republic': 'CZ', czechia: 'CZ', vatican: 'VA', 'vatican city': 'VA', 'holy see': 'VA', taiwan: 'TW',
  gambia: 'GM', bahamas: 'BS', philippines: 'PH', 'sao tome': 'ST', 'st kitts': 'KN', prc: 'CN',
};

type CountryNames = { getNames(lang: string, options: { select: 'all' }): Record<string, string[]> | undefined };

let library: CountryNames | undefined;
const byLanguage = new Map<string, ReadonlyMap<string, string>>();

function index(language: string): ReadonlyMap<string, string> {
  const cached = byLanguage.get(language);
  if (cached) return cached;
  library ??= createRequire(import.meta.url)('i18n-iso-countries') as CountryNames;
  const map = new Map<string, string>();
  for (const [code, names] of Object.entries(library.getNames(language, { select: 'all' }) ?? {})) {
    for (const name of names) map.set(placeKey(name), code);
  }
  // "Congo" is both CD and CG in the library; the hand table decides.
  if (language === 'en') for (const [key, code] of Object.entries(NEWS_ALIASES)) map.set(key, code);
  byLanguage.set(language, map);
  return map;
}

/**
 * ISO 3166-1 alpha-2 code of a country named by its English name, a common news alias, or its
 * name in the article's language ("Alemania"), if the name is a country's.
 */
export function countryCode(name: string, language: string | null = null): string | undefined {
  const key = placeKey(name);
  const lang = (language ?? 'en').toLowerCase().slice(0, 2);
  return index('en').get(key) ?? (lang !== 'en' && /^[a-z]{2}$/.test(lang) ? index(lang).get(key) : undefined);
}
