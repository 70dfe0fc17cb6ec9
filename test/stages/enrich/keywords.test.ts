import { describe, expect, it } from 'vitest';
import type { Article, Entities } from '../../../stages/article.js';
import { documentTerms } from '../../../stages/enrich/keywords/document-terms.js';
import { keywordsStage } from '../../../stages/enrich/keywords/index.js';
import { keywordLookupKeys } from '../../../stages/enrich/keywords/rank-keywords.js';
import { NO_TERMS, type TermStats } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = (terms: TermStats = NO_TERMS, options: Record<string, unknown> = {}) => ({ options, signal: new AbortController().signal, terms });
const keywords = async (article: Article, terms?: TermStats, options?: Record<string, unknown>) =>
  (await keywordsStage.run(article, context(terms, options))).keywords!;

const FLOOD = makeArticle({
  title: 'Flood barrier fails as River Severn bursts its banks',
  text: [
    'The flood barrier at Shrewsbury failed on Sunday as the River Severn rose to its highest level in decades.',
    'Engineers from the Environment Agency said the flood barrier had been damaged by debris carried by the river.',
    'Residents were evacuated from forty homes near the river, and the flood barrier will be inspected on Monday.',
    'The Environment Agency warned that more rain was expected and that the River Severn could rise again.',
  ].join('\n\n'),
});

/** Document frequencies counted with documentTerms, as the pipeline does. */
function countTerms(articles: readonly Pick<Article, 'title' | 'text' | 'language'>[]): TermStats {
  const df = new Map<string, number>();
  for (const a of articles) for (const term of documentTerms(a)) df.set(term, (df.get(term) ?? 0) + 1);
  return { documents: articles.length, documentFrequency: (term) => df.get(term) ?? 0 };
}

describe('documentTerms', () => {
  it('lists the unique lowercase terms and phrase candidates of title and text, without stopwords', () => {
    const terms = documentTerms({ title: 'Iran rejects proposal', text: "Iran's foreign minister said the Gaza ceasefire talks had failed.", language: 'en' });
    expect(terms).toEqual(expect.arrayContaining(['iran', 'foreign minister', 'gaza ceasefire', 'ceasefire talks', 'proposal', 'rejects']));
    expect(new Set(terms).size).toBe(terms.length);
    expect(terms).not.toContain('the');
    expect(terms).not.toContain('said');
    expect(terms.every((t) => t === t.toLowerCase())).toBe(true);
  });

  it('does not join words across punctuation or possessives into phrases', () => {
    const terms = documentTerms({ title: '', text: "Israel's nature, Gaza talks. Ceasefire", language: 'en' });
    expect(terms).not.toContain('israel nature');
    expect(terms).not.toContain('talks ceasefire');
    expect(terms).toContain('gaza talks');
  });

  it('keeps acronyms that spell a stopword ("US", "WHO") but not the stopword itself', () => {
    const terms = documentTerms({ title: '', text: 'The WHO said the US must act. Tell us more.', language: 'en' });
    expect(terms).toEqual(expect.arrayContaining(['who', 'us']));
    expect(documentTerms({ title: '', text: 'Tell us who you are.', language: 'en' })).toEqual(['tell']);
  });

  it('gives nothing for an empty article', () => {
    expect(documentTerms({ title: '', text: '', language: 'en' })).toEqual([]);
  });
});

describe('keywordsStage', () => {
  it('ranks repeated phrases and title words first, keeping proper names capitalised', async () => {
    const found = await keywords(FLOOD);
    expect(found.slice(0, 3)).toEqual(expect.arrayContaining(['flood barrier', 'River Severn', 'Environment Agency']));
    expect(found).not.toContain('said');
    expect(found).not.toContain('barrier'); // inside "flood barrier" every time
  });

  it('boosts and names entities as the NER wrote them', async () => {
    const entities: Entities = { people: [], organizations: [{ name: 'Environment Agency', mentions: 2 }], places: [{ name: 'Shrewsbury', mentions: 1 }] };
    const found = await keywords({ ...FLOOD, entities });
    expect(found).toContain('Shrewsbury');
    expect(found.indexOf('Environment Agency')).toBeLessThanOrEqual(2);
  });

  it('ranks against document frequencies once 50 articles are counted: a word in every article sinks', async () => {
    const council = (i: number) => makeArticle({ title: `Council meets ${i}`, text: `The council met on day ${i} and the council agreed the agenda for district ${i}.` });
    const article = makeArticle({
      title: 'Council backs tram extension',
      text: 'The council voted for the tram extension. The council said the tram extension opens in spring. Council members praised it.',
    });
    const terms = countTerms([...Array.from({ length: 60 }, (_, i) => council(i)), article]);
    const found = await keywords(article, terms);
    expect(found[0]).toBe('tram extension');
    expect(found.indexOf('council')).toBeGreaterThan(found.indexOf('tram extension'));
    const withoutStats = await keywords(article, NO_TERMS);
    expect(withoutStats.indexOf('council')).toBeLessThan(found.indexOf('council'));
  });

  it('honours the limit option and ignores an invalid one', async () => {
    expect(await keywords(FLOOD, NO_TERMS, { limit: 3 })).toHaveLength(3);
    expect(await keywords(FLOOD, NO_TERMS, { limit: 'many' })).toHaveLength(10);
  });

  it('uses the stopwords of the article language', async () => {
    const found = await keywords(
      makeArticle({
        language: 'es',
        title: 'El ayuntamiento aprueba el presupuesto',
        text: 'El ayuntamiento aprobó el presupuesto municipal. El presupuesto municipal incluye nuevas escuelas para la ciudad.',
      }),
    );
    expect(found).toContain('presupuesto municipal');
    expect(found).not.toContain('el');
    expect(found).not.toContain('para');
  });

  it('gives no keywords for an empty article', async () => {
    expect(await keywords(makeArticle({ title: '', text: '' }))).toEqual([]);
  });
});

describe('keywordLookupKeys', () => {
  it('looks up the article\'s terms and entity names, from terms the caller computed or its own', () => {
    const article = { ...FLOOD, entities: { people: [{ name: 'Ana Ruiz', mentions: 2 }], organizations: [], places: [{ name: 'Shrewsbury', mentions: 1 }] } };
    const keys = keywordLookupKeys(article);
    expect(keys).toEqual(expect.arrayContaining(['flood barrier', 'river severn', 'ana ruiz', 'shrewsbury']));
    expect(keywordLookupKeys(article, documentTerms(article))).toEqual(keys);
    expect(keywordLookupKeys(article, [])).toEqual(['ana ruiz', 'shrewsbury']);
  });
});
