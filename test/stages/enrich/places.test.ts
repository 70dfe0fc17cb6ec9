import { describe, expect, it } from 'vitest';
import type { Entities } from '../../../stages/article.js';
import { placesStage } from '../../../stages/enrich/places/index.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };

async function resolve(places: [string, number][]) {
  const entities: Entities = { people: [], organizations: [], places: places.map(([name, mentions]) => ({ name, mentions })), misc: [] };
  const patch = await placesStage.run(makeArticle({ entities }), context);
  return { places: patch.entities!.places, countries: patch.countries };
}

const countryOf = async (...names: string[]) => (await resolve(names.map((n) => [n, 1]))).places.map((p) => p.country);

describe('placesStage', () => {
  it('resolves countries by name and news alias', async () => {
    expect(await countryOf('U.S.', 'US', 'America', 'United States', 'Britain', 'UK', 'Ivory Coast', 'Syria', 'Russia', 'South Korea')).toEqual([
      'US', 'US', 'US', 'US', 'GB', 'GB', 'CI', 'SY', 'RU', 'KR',
    ]);
    expect(await countryOf('Gaza Strip', 'West Bank', 'Gaza', 'Gaza City', 'Khan Younis', 'Rafah')).toEqual(['PS', 'PS', 'PS', 'PS', 'PS', 'PS']);
  });

  it("gives a country its capital's coordinates", async () => {
    const [france] = (await resolve([['France', 1]])).places;
    expect(france).toMatchObject({ country: 'FR' });
    expect(france!.lat).toBeCloseTo(48.85, 1);
    expect(france!.lon).toBeCloseTo(2.35, 1);
  });

  it('puts seats of government named as places in their city, not in a namesake village', async () => {
    const [whiteHouse, kremlin] = (await resolve([['White House', 1], ['Kremlin', 1]])).places;
    expect(whiteHouse).toMatchObject({ country: 'US' });
    expect(whiteHouse!.lat).toBeCloseTo(38.9, 1); // Washington, not White House, Tennessee (36.5)
    expect(kremlin).toMatchObject({ country: 'RU' });
    expect(kremlin!.lon).toBeCloseTo(37.6, 1);
  });

  it('takes the most populous namesake when nothing else decides: Paris is Paris, France', async () => {
    const [paris] = (await resolve([['Paris', 2]])).places;
    expect(paris).toMatchObject({ country: 'FR' });
    expect(paris!.lat).toBeCloseTo(48.85, 1);
  });

  it('prefers a namesake in a state the article names: Paris with Texas is Paris, Texas', async () => {
    const { places, countries } = await resolve([['Paris', 2], ['Texas', 1]]);
    expect(places[0]).toMatchObject({ name: 'Paris', country: 'US' });
    expect(places[0]!.lat).toBeCloseTo(33.66, 1);
    expect(places[0]!.lon).toBeCloseTo(-95.56, 1);
    expect(places[1]).toMatchObject({ name: 'Texas', country: 'US' });
    expect(countries).toEqual(['US']);
  });

  it('prefers a namesake in a country the article names: Rafah with Egypt is the Egyptian Rafah', async () => {
    expect(await countryOf('Rafah', 'Egypt')).toEqual(['EG', 'EG']);
  });

  it('prefers the country the other cities are in: London with Ontario is London, Ontario', async () => {
    expect(await countryOf('London', 'Ontario')).toEqual(['CA', 'CA']);
    expect(await countryOf('London', 'Manchester')).toEqual(['GB', 'GB']);
  });

  it('keeps Paris in France when the article also mentions New York', async () => {
    expect(await countryOf('Paris', 'New York')).toEqual(['FR', 'US']);
  });

  it("reads country names in the article's language", async () => {
    const entities: Entities = { people: [], organizations: [], places: [{ name: 'Alemania', mentions: 1 }, { name: 'Estados Unidos', mentions: 2 }] };
    const patch = await placesStage.run(makeArticle({ language: 'es', entities }), context);
    expect(patch.countries).toEqual(['US', 'DE']);
  });

  it('leaves continents and unknown names unresolved', async () => {
    const { places } = await resolve([['Middle East', 1], ['Narnia', 1], ['Europe', 1]]);
    expect(places.map((p) => [p.country, p.lat, p.lon])).toEqual([[null, null, null], [null, null, null], [null, null, null]]);
  });

  it('lists countries most mentioned first, summing cities into their country', async () => {
    const { countries } = await resolve([['Israel', 3], ['Gaza', 2], ['West Bank', 2], ['Iran', 1], ['Tehran', 1]]);
    expect(countries).toEqual(['PS', 'IL', 'IR']);
  });

  it('keeps the other entity kinds as they are', async () => {
    const entities: Entities = { people: [{ name: 'Ana Ruiz', mentions: 2 }], organizations: [{ name: 'UN', mentions: 1 }], places: [{ name: 'Kyiv', mentions: 1 }] };
    const patch = await placesStage.run(makeArticle({ entities }), context);
    expect(patch.entities).toMatchObject({ people: entities.people, organizations: entities.organizations, places: [{ name: 'Kyiv', mentions: 1, country: 'UA' }] });
  });

  it('does nothing without entities, and lists no country without places', async () => {
    expect(await placesStage.run(makeArticle({ text: '' }), context)).toEqual({});
    expect((await resolve([])).countries).toEqual([]);
  });
});
