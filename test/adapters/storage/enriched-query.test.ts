import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../adapters/storage/storage.js';
import type { Article } from '../../../stages/article.js';
import { BUILTIN_STAGES } from '../../../stages/enrich/builtin-stages.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
import { makeArticle } from '../../helpers/articles.js';
import { startTestPostgresOrSkip } from '../../helpers/postgres.js';
import { closeAndRemove, openEmpty, postgresBackend, sqliteBackend, type Backend, type EmptyDatabase } from './backends.js';
import { KENYA_ENRICHMENT, KENYA_TEXT } from './enriched-articles.js';

// The real entities and places stages on a fixture article, then the API's enrichment filters over
// what they wrote, on each backend. Loading the NER model and gazetteer takes a while: once per file.
const postgres = await startTestPostgresOrSkip();
const backends: Backend[] = [sqliteBackend, ...(postgres ? [postgresBackend(postgres)] : [])];
let enriched: Article;

beforeAll(async () => {
  const stages = await Promise.all((['entities', 'places'] as const).map(async (name) => ({ stage: await BUILTIN_STAGES[name](), options: {}, timeoutMs: 60_000 })));
  enriched = await runStages(makeArticle({ canonicalUrl: 'https://www.example.com/2026/12/kenya-loans', title: 'Kenya seeks new loans', text: KENYA_TEXT }), stages);
}, 180_000);
afterAll(async () => {
  await postgres?.stop();
});

it('writes what the captured fixture of the other query tests says (recapture it in enriched-articles.ts when a stage changes)', () => {
  expect(enriched.enrichment.entities?.error).toBeNull();
  expect(enriched.enrichment.places?.error).toBeNull();
  expect({ entities: enriched.entities, countries: enriched.countries }).toEqual({ entities: KENYA_ENRICHMENT.entities, countries: KENYA_ENRICHMENT.countries });
});

describe.each(backends)('$name: the enrichment filters over real stage output', (backend) => {
  let db: EmptyDatabase;
  let storage: Storage;

  beforeAll(async () => {
    ({ db, storage } = await openEmpty(backend));
    await storage.upsertArticle(enriched);
    await storage.upsertArticle(makeArticle({ canonicalUrl: 'https://news.example.com/other', title: 'Other', text: 'Nothing named here.' }));
  });
  afterAll(() => closeAndRemove(db, storage));

  it('finds the article by each person, organisation and place the stages named, and by each country', async () => {
    const e = enriched.entities!;
    const names = [...e.people, ...e.organizations, ...e.places].map((x) => x.name);
    expect(names.length).toBeGreaterThan(3);
    for (const entity of [...names, ...names.map((x) => x.toUpperCase())]) {
      expect((await storage.listArticles({ entity }, null, 5)).articles.map((a) => a.id), entity).toEqual([enriched.id]);
    }
    expect(enriched.countries).toEqual(expect.arrayContaining(['KE', 'GB']));
    for (const country of enriched.countries!) {
      expect((await storage.listArticles({ country: country.toLowerCase() }, null, 5)).articles.map((a) => a.id), country).toEqual([enriched.id]);
    }
    expect((await storage.listArticles({ country: 'US' }, null, 5)).articles).toEqual([]);
  });
});
