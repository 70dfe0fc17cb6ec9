import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entitiesStage } from '../../../stages/enrich/entities/index.js';
import type { Entities } from '../../../stages/article.js';
import { makeArticle } from '../../helpers/articles.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };

async function entitiesOf(title: string, text: string, language: string | null = 'en'): Promise<Entities> {
  const patch = await entitiesStage.run(makeArticle({ title, text, language }), context);
  return patch.entities!;
}

const names = (list: readonly { name: string }[]): string[] => list.map((e) => e.name);

describe('entitiesStage', () => {
  it('declares what it writes', () => {
    expect(entitiesStage).toMatchObject({ name: 'entities', writes: ['entities'] });
  });

  it('finds people, places and organisations in a short English news paragraph', async () => {
    const e = await entitiesOf(
      'Kenya seeks new loans',
      'Kenyan President William Ruto arrived in London on Monday for talks with British Prime Minister Keir Starmer. '
        + 'Ruto told reporters that the World Bank had agreed to support new investment in Nairobi.\n\n'
        + 'Starmer said Britain would back the plan.',
    );
    expect(e.people).toEqual(expect.arrayContaining([
      { name: 'William Ruto', mentions: 2 },
      { name: 'Keir Starmer', mentions: 2 },
    ]));
    expect(names(e.places)).toEqual(expect.arrayContaining(['London', 'Nairobi', 'Britain']));
    expect(names(e.organizations)).toContain('World Bank');
    expect(names(e.misc ?? [])).toEqual(expect.arrayContaining(['Kenyan', 'British']));
    for (const place of ['London', 'Nairobi', 'Britain', 'Kenya']) expect(names(e.people)).not.toContain(place);
  });

  it('keeps from a Title-Cased headline only the names the body also mentions', async () => {
    const e = await entitiesOf(
      'Kenya Seeks New Loans From World Bank As Debt Crisis Deepens',
      'Kenyan President William Ruto arrived in London on Monday. Ruto said Kenya needed help.',
    );
    const all = [...e.people, ...e.organizations, ...e.places, ...(e.misc ?? [])].map((x) => x.name);
    for (const name of all) expect(name).not.toMatch(/Deepens|Seeks|Crisis/);
    expect(names(e.places)).toContain('Kenya');
  });

  it('returns empty lists for an empty text', async () => {
    expect(await entitiesOf('', '')).toEqual({ people: [], organizations: [], places: [], misc: [] });
  });

  it('sorts each list by mentions, most first', async () => {
    const e = await entitiesOf('', 'Officials in Madrid said the plan was ready. Police in Lisbon were less sure. '
      + 'Madrid has hosted such talks before, and Madrid will do so again.');
    expect(e.places).toEqual([{ name: 'Madrid', mentions: 3 }, { name: 'Lisbon', mentions: 1 }]);
  });

  it('returns empty lists for articles not in English', async () => {
    const e = await entitiesOf('Berlin', 'Bundeskanzler Olaf Scholz traf am Montag in Berlin ein.', 'de');
    expect(e).toEqual({ people: [], organizations: [], places: [], misc: [] });
  });

  it('reads the seed article right', async (ctx) => {
    const seed = new URL('../../../../shared/examples/seed-article.txt', import.meta.url);
    if (!existsSync(seed)) return ctx.skip('../shared/examples/seed-article.txt is absent');
    const [title, ...rest] = readFileSync(seed, 'utf8').split('\n\n');
    const e = await entitiesOf(title!, rest.join('\n\n'));
    const people = names(e.people);
    expect(people).toEqual(expect.arrayContaining([
      'Hossein Amirabdollahian', 'Ziyad al-Nakhaleh', 'Ismail Haniyeh', 'Benjamin Netanyahu',
    ]));
    // "Haniyeh" alone later in the text is the same person.
    expect(e.people.find((p) => p.name === 'Ismail Haniyeh')!.mentions).toBeGreaterThanOrEqual(2);
    expect(names(e.organizations)).toEqual(expect.arrayContaining(['Palestinian Islamic Jihad', 'Hamas']));
    expect(names(e.places)).toEqual(expect.arrayContaining(['Gaza', 'Israel', 'West Bank']));
    expect(e.places[0]!.name).toBe('Gaza');
    for (const thing of [...names(e.places), ...names(e.organizations), 'Iran', 'Palestinian', 'Iranian']) {
      expect(people).not.toContain(thing);
    }
  });
});
