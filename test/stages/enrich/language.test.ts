import { describe, expect, it } from 'vitest';
import { languageStage } from '../../../stages/enrich/language/index.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };

describe('languageStage', () => {
  it('detects the language of title and text, overriding a contradicting template declaration', async () => {
    const article = makeArticle({
      language: 'en',
      title: 'El ayuntamiento aprueba el presupuesto',
      text: 'El ayuntamiento aprobó ayer el presupuesto municipal para el próximo año después de un largo debate sobre escuelas y carreteras.',
    });
    expect(await languageStage.run(article, context)).toEqual({ language: 'es' });
  });

  it('keeps the declared language, as ISO 639-1, when the text is too short to tell', async () => {
    const article = makeArticle({ language: 'fr-FR', title: '', text: 'OK' });
    expect(await languageStage.run(article, context)).toEqual({ language: 'fr' });
  });

  it('gives null for an empty article with no declaration', async () => {
    const article = makeArticle({ language: null, title: '', text: '' });
    expect(await languageStage.run(article, context)).toEqual({ language: null });
  });

  it('declares what it writes', () => {
    expect(languageStage.writes).toEqual(['language']);
  });
});
