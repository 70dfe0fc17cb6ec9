import type { Entity } from '../../article.js';
import { countryCode } from './countries.js';
import { cityAlias, findRegion, isSupranational } from './regions.js';
import { gazetteer, type City, type Gazetteer } from './gazetteer.js';
import { placeKey } from './place-key.js';

/** A place entity with its country and coordinates set (null when unresolved). */
export type ResolvedPlace = Entity & { country: string | null; lat: number | null; lon: number | null };

/** A place that names a country or a first-level division: unambiguous, it anchors the cities. */
interface Anchor {
  readonly country: string;
  /** Set for divisions (US states, provinces): `${country}.${admin1}`. */
  readonly division?: string;
  readonly seat: City | undefined;
}

const COUNTRY_BONUS = 3;
const DIVISION_BONUS = 2.5;
const SUPPORT_BONUS = 0.75;
const SAME_DIVISION_BONUS = 0.5;

/**
 * Resolves place names in two passes. First countries (English names, news aliases, names in the
 * article's language) and hand-listed divisions (US states, provinces, territories). Then cities by GeoNames name, each namesake
 * scored log10(population)/2, plus 3 when the article names its country, 2.5 when it names its
 * state or province, 0.75 for each other place (up to two) likely in the same country and 0.5
 * when one is in the same division. So "Paris" alone or with "New York" is Paris, France; with
 * "Texas" it is Paris, Texas; a small namesake needs real evidence to beat a capital.
 */
export function resolvePlaces(places: readonly Entity[], language: string | null = null): ResolvedPlace[] {
  const gaz = gazetteer();
  const anchors = places.map((p) => anchorOf(gaz, placeKey(p.name), language));
  const countries = new Set<string>();
  const divisions = new Set<string>();
  anchors.forEach((a) => {
    if (a?.division) divisions.add(a.division);
    else if (a) countries.add(a.country);
  });
  const candidates = places.map((p, i) => (anchors[i] ? [] : cityCandidates(gaz, placeKey(p.name))));
  // Each place on its own: a division's seat, a city's most populous namesake.
  const likely = places.map((_, i) => (anchors[i]?.division ? anchors[i].seat : candidates[i]![0]));
  return places.map((place, i) => {
    const anchor = anchors[i];
    const city = anchor ? anchor.seat : pickCity(candidates[i]!, i, likely, countries, divisions);
    const country = anchor?.country ?? city?.country ?? null;
    return { ...place, country, lat: city?.lat ?? null, lon: city?.lon ?? null };
  });
}

function anchorOf(gaz: Gazetteer, key: string, language: string | null): Anchor | undefined {
  const code = countryCode(key, language);
  if (code) return { country: code, seat: gaz.countrySeat.get(code) };
  const region = findRegion(key);
  if (!region) return undefined;
  const city = region.city ? gaz.byName.get(placeKey(region.city))?.find((c) => c.country === region.country) : undefined;
  const admin = region.admin ?? city?.adminCode;
  const division = admin === undefined ? undefined : `${region.country}.${admin}`;
  const seat = city ?? (division ? gaz.adminSeat.get(division) : undefined) ?? gaz.countrySeat.get(region.country);
  return { country: region.country, division, seat };
}

function cityCandidates(gaz: Gazetteer, key: string): readonly City[] {
  if (isSupranational(key)) return [];
  const alias = cityAlias(key);
  const found = gaz.byName.get(alias ? placeKey(alias) : key);
  if (found) return found;
  // "Gaza City" is "Gaza" in GeoNames (but "Kuwait City" is "Kuwait City"): try both forms.
  const bare = key.replace(/ city$/, '');
  return (bare !== key && gaz.byName.get(bare)) || [];
}

function pickCity(
  list: readonly City[],
  self: number,
  likely: readonly (City | undefined)[],
  countries: ReadonlySet<string>,
  divisions: ReadonlySet<string>,
): City | undefined {
  let best: City | undefined;
  let bestScore = -Infinity;
  for (const city of list) {
    const division = `${city.country}.${city.adminCode}`;
    let score = Math.log10(city.population + 10) / 2;
    if (countries.has(city.country)) score += COUNTRY_BONUS;
    if (divisions.has(division)) score += DIVISION_BONUS;
    let support = 0;
    let sameDivision = false;
    likely.forEach((other, j) => {
      if (j === self || !other || other.country !== city.country) return;
      support++;
      if (other.adminCode === city.adminCode) sameDivision = true;
    });
    score += SUPPORT_BONUS * Math.min(support, 2) + (sameDivision && !divisions.has(division) ? SAME_DIVISION_BONUS : 0);
    if (score > bestScore) {
      best = city;
      bestScore = score;
    }
  }
  return best;
}
