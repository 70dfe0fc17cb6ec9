import { describe, expect, it } from 'vitest';
import { enrichArticle, type EnrichmentStage } from '../../../stages/enrich/enrich-article.js';
import { detectLanguage } from '../../../stages/enrich/detect-language.js';
import { makeArticle } from '../../helpers/articles.js';

describe('detectLanguage', () => {
  it('detects the language of the text', () => {
    expect(detectLanguage('El ayuntamiento aprobó ayer el presupuesto municipal para el próximo año después de un largo debate.', null)).toBe('es');
    expect(detectLanguage('Der Stadtrat hat gestern den Haushalt für das kommende Jahr nach einer langen Debatte beschlossen.', 'en')).toBe('de');
  });

  it('keeps the declared language when the text is too short to tell', () => {
    expect(detectLanguage('OK', 'fr-FR')).toBe('fr');
    expect(detectLanguage('', null)).toBeNull();
  });
});

describe('enrichArticle', () => {
  it('sets language and word count and records each stage version', () => {
    const a = enrichArticle(makeArticle({ language: null, wordCount: 0, text: 'The city council approved the new budget on Tuesday after a long debate about schools and roads.' }));
    expect(a.language).toBe('en');
    expect(a.wordCount).toBe(17);
    expect(a.enrichment.language).toMatchObject({ version: '1', error: null });
    expect(a.enrichment.wordcount).toMatchObject({ version: '1', error: null });
  });

  it('records a failing stage on the article and still returns it', () => {
    const broken: EnrichmentStage = { name: 'broken', version: '0.1', run: () => { throw new Error('model missing'); } };
    const a = enrichArticle(makeArticle(), [broken]);
    expect(a.enrichment.broken).toMatchObject({ version: '0.1', error: 'model missing' });
    expect(a.title).toBe('Council approves budget');
  });
});
