import type { Article } from '../../../stages/article.js';
import { makeArticle } from '../../helpers/articles.js';

/**
 * Enrichment exactly as the built-in `entities` and `places` stages wrote it for this text (their
 * output captured from a run; enriched-query.test.ts runs the real stages and checks the same
 * queries): people, organisations, places with ISO country codes, and `countries`.
 */
export const KENYA_TEXT = 'Kenyan President William Ruto arrived in London on Monday for talks with British Prime Minister Keir Starmer. '
  + 'Ruto told reporters that the World Bank had agreed to support new investment in Nairobi.\n\n'
  + 'Starmer said Britain would back the plan. Officials in São Paulo and Zürich welcomed it.';

export const KENYA_ENRICHMENT: Pick<Article, 'entities' | 'countries' | 'enrichment'> = {
  entities: {
    people: [{ name: 'William Ruto', mentions: 2 }, { name: 'Keir Starmer', mentions: 2 }],
    organizations: [{ name: 'World Bank', mentions: 1 }],
    places: [
      { name: 'Kenya', mentions: 1, country: 'KE', lat: -1.28333, lon: 36.81667 },
      { name: 'London', mentions: 1, country: 'GB', lat: 51.50853, lon: -0.12574 },
      { name: 'Nairobi', mentions: 1, country: 'KE', lat: -1.28333, lon: 36.81667 },
      { name: 'Britain', mentions: 1, country: 'GB', lat: 51.50853, lon: -0.12574 },
      { name: 'São Paulo', mentions: 1, country: 'BR', lat: -23.5475, lon: -46.63611 },
      { name: 'Zürich', mentions: 1, country: 'CH', lat: 47.36667, lon: 8.55 },
    ],
    misc: [{ name: 'Kenyan', mentions: 1 }, { name: 'British', mentions: 1 }],
  },
  countries: ['KE', 'GB', 'BR', 'CH'],
  enrichment: { entities: { version: '1', ms: 5.4, error: null }, places: { version: '1', ms: 0.6, error: null } },
};

/** An article of `site` carrying the Kenya enrichment. */
export function kenyaArticle(canonicalUrl = 'https://www.example.com/2026/12/kenya-loans', over: Partial<Article> = {}): Article {
  return makeArticle({ canonicalUrl, title: 'Kenya seeks new loans', text: KENYA_TEXT, siteName: 'Example News', ...KENYA_ENRICHMENT, ...over });
}

/** Enrichment naming other people and places: a French article about Lyon. */
export const LYON_ENRICHMENT: Pick<Article, 'entities' | 'countries' | 'enrichment'> = {
  entities: {
    people: [{ name: 'Élisabeth Borne', mentions: 1 }],
    organizations: [{ name: 'SNCF', mentions: 2 }],
    places: [{ name: 'Lyon', mentions: 2, country: 'FR', lat: 45.74846, lon: 4.84671 }],
    misc: [],
  },
  countries: ['FR'],
  enrichment: { entities: { version: '1', ms: 3, error: null }, places: { version: '1', ms: 1, error: null } },
};
