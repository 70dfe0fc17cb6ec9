import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summaryStage } from '../../../stages/enrich/summary/index.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };
const summarise = async (text: string) => (await summaryStage.run(makeArticle({ text }), context)).summary;

const STORY = [
  'Rates decision at a glance',
  'LONDON (Reuters) - The Bank of England raised interest rates to 5.25 percent on Thursday, its fourteenth increase in a row.',
  'It was expected.',
  'Why does this matter for households?',
  'The central bank said inflation remained far above its target and that further rate increases could follow.',
  '“We will do what is necessary to bring inflation back to target.”',
  'Mortgage lenders quickly passed the higher interest rates on to borrowers with variable loans.',
  'Analysts expect inflation to fall later in the year as energy prices ease and the increases take effect.',
  'The pound rose slightly after the announcement.',
  'Retail groups warned that higher rates would weigh on spending before Christmas.',
].join('\n\n');

describe('summaryStage', () => {
  it('picks two sentences in article order, stripping the dateline', async () => {
    const summary = await summarise(STORY);
    expect(summary).toMatch(/^The Bank of England raised interest rates to 5\.25 percent on Thursday/);
    const sentences = summary!.split(/(?<=\.)\s+(?=\p{Lu})/u);
    expect(sentences).toHaveLength(2);
    const order = sentences.map((s) => STORY.indexOf(s));
    expect(order[0]).toBeLessThan(order[1]!);
  });

  it('skips questions, quote-only lines, headings and very short sentences', async () => {
    const summary = await summarise(STORY);
    expect(summary).not.toContain('Why does this matter');
    expect(summary).not.toContain('We will do what is necessary');
    expect(summary).not.toContain('It was expected');
    expect(summary).not.toContain('at a glance');
  });

  it('takes three sentences from a long article', async (ctx) => {
    const seed = new URL('../../../../shared/examples/seed-article.txt', import.meta.url);
    if (!existsSync(seed)) return ctx.skip('../shared/examples/seed-article.txt is absent');
    const text = readFileSync(seed, 'utf8');
    const summary = (await summarise(`${text}\n\n${text}`))!;
    expect(summary.startsWith('In a phone conversation between the Iranian Foreign Minister')).toBe(true);
    expect(summary).not.toContain('(credit:');
    expect(summary).not.toContain('Calls for humanitarian aid');
  });

  it('summarises other languages with their stopwords', async () => {
    const text = [
      'El ayuntamiento aprobó ayer el presupuesto municipal para el próximo año después de un largo debate.',
      'El presupuesto incluye nuevas escuelas y la reparación de las carreteras del municipio.',
      'La oposición votó en contra y criticó la subida de los impuestos locales.',
      'El alcalde defendió el presupuesto como necesario para el municipio.',
    ].join('\n\n');
    const summary = (await summaryStage.run(makeArticle({ text, language: 'es' }), context)).summary;
    expect(summary).toMatch(/^El ayuntamiento aprobó ayer el presupuesto municipal/);
  });

  it('gives a short text as its own summary and null when there is no full sentence', async () => {
    expect(await summarise('The council approved the budget on Tuesday.\n\nThe vote was close, at five to four.')).toBe(
      'The council approved the budget on Tuesday. The vote was close, at five to four.',
    );
    expect(await summarise('')).toBeNull();
    expect(await summarise('Breaking news\nMore soon')).toBeNull();
  });
});
