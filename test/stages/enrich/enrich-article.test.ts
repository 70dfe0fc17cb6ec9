import { describe, expect, it } from 'vitest';
import { BUILTIN_STAGES, DEFAULT_STAGES } from '../../../stages/enrich/builtin-stages.js';
import { detectLanguage } from '../../../stages/enrich/detect-language.js';
import { runStages } from '../../../stages/enrich/run-stages.js';
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

describe('the default built-in stages', () => {
  it('set language and word count and record each stage version', async () => {
    const stages = await Promise.all(DEFAULT_STAGES.filter((n) => n === 'language' || n === 'wordcount').map(async (n) => ({ stage: await BUILTIN_STAGES[n](), options: {}, timeoutMs: 5_000 })));
    const a = await runStages(makeArticle({ language: null, wordCount: 0, text: 'The city council approved the new budget on Tuesday after a long debate about schools and roads.' }), stages);
    expect(a.language).toBe('en');
    expect(a.wordCount).toBe(17);
    expect(a.enrichment.language).toMatchObject({ version: '1', error: null });
    expect(a.enrichment.wordcount).toMatchObject({ version: '1', error: null });
  });
});
