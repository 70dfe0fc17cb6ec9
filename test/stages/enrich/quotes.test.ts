import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Entities } from '../../../stages/article.js';
import { quotesStage } from '../../../stages/enrich/quotes/index.js';
import { NO_TERMS } from '../../../stages/enrich/stage.js';
import { makeArticle } from '../../helpers/articles.js';

const context = { options: {}, signal: new AbortController().signal, terms: NO_TERMS };
const people = (...names: string[]) => names.map((name) => ({ name, mentions: 1 }));

async function quotes(text: string, entities?: Entities) {
  return (await quotesStage.run(makeArticle({ text, ...(entities ? { entities } : {}) }), context)).quotes;
}

describe('quotesStage', () => {
  it('attributes a quote to the full name of a speaker named after it, either order', async () => {
    const text = '“We will not back down from this fight,” said Jane Doe, the mayor.\n\n"The budget is balanced and fair," Doe told reporters.';
    expect(await quotes(text, { people: people('Jane Doe'), organizations: [], places: [] })).toEqual([
      { text: 'We will not back down from this fight', speaker: 'Jane Doe' },
      { text: 'The budget is balanced and fair', speaker: 'Jane Doe' },
    ]);
  });

  it('matches a name behind a title and an apposition to the full name', async () => {
    const text = '“We will not raise taxes this year,” President Joe Biden said.\n\n“The bridge will reopen in the spring,” said the mayor, Jane Doe.';
    expect(await quotes(text, { people: people('Joe Biden', 'Jane Doe'), organizations: [], places: [] })).toEqual([
      { text: 'We will not raise taxes this year', speaker: 'Joe Biden' },
      { text: 'The bridge will reopen in the spring', speaker: 'Jane Doe' },
    ]);
  });

  it('completes a one-word person name the NER cut short from the text', async () => {
    const text = 'Ziyad al-Nakhaleh spoke on Friday. “The talks must continue without conditions,” al-Nakhaleh said.';
    expect(await quotes(text, { people: people('Ziyad'), organizations: [], places: [] })).toEqual([
      { text: 'The talks must continue without conditions', speaker: 'Ziyad al-Nakhaleh' },
    ]);
  });

  it('attributes a quote introduced by "X said:" and one followed by "according to X"', async () => {
    const text = 'John Smith said: “The plan is dead on arrival.”\n\nThe proposal is “a gift to the big developers” according to Mary Major.';
    expect(await quotes(text)).toEqual([
      { text: 'The plan is dead on arrival.', speaker: 'John Smith' },
      { text: 'a gift to the big developers', speaker: 'Mary Major' },
    ]);
  });

  it('joins a quote running over paragraphs, each reopened with a quote mark', async () => {
    const text = '“The first paragraph of the statement is here.\n\n“And the second paragraph ends it,” said Ana Ruiz.';
    expect(await quotes(text)).toEqual([{ text: 'The first paragraph of the statement is here. And the second paragraph ends it', speaker: 'Ana Ruiz' }]);
  });

  it('resolves "he said" to the last person in subject position, not to whoever he told', async () => {
    const text =
      'Prime Minister Ana Ruiz met opposition leader Carlos Vela on Monday.\n\n' +
      'In that meeting, she told Vela that “the coalition will hold until the election.”\n\n' +
      'Vela left early. “We have heard this promise before,” he said.';
    expect(await quotes(text, { people: people('Ana Ruiz', 'Carlos Vela'), organizations: [], places: [] })).toEqual([
      { text: 'the coalition will hold until the election.', speaker: 'Ana Ruiz' },
      { text: 'We have heard this promise before', speaker: 'Carlos Vela' },
    ]);
  });

  it('carries the speaker to a whole-sentence quote that follows, and drops scare quotes', async () => {
    const text = '“We will rebuild the bridge,” the mayor, Jane Doe, said. “It will take two years.”\n\nCritics called the plan “ambitious” and “vague.”';
    expect(await quotes(text, { people: people('Jane Doe'), organizations: [], places: [] })).toEqual([
      { text: 'We will rebuild the bridge', speaker: 'Jane Doe' },
      { text: 'It will take two years.', speaker: 'Jane Doe' },
    ]);
  });

  it('returns no quotes for empty text or text without quotations', async () => {
    expect(await quotes('')).toEqual([]);
    expect(await quotes('The council approved the budget on Tuesday.')).toEqual([]);
  });

  it('finds no attributed quotes in other languages: the speech verbs are English', async () => {
    expect(await quotes('„Wir werden das gemeinsam schaffen“, sagte die Bürgermeisterin Anna Weber am Montag.')).toEqual([]);
  });

  it('attributes the seed article quotes, including "the genocide against the Palestinians" to Hossein Amirabdollahian', async (ctx) => {
    const seed = new URL('../../../../shared/examples/seed-article.txt', import.meta.url);
    if (!existsSync(seed)) return ctx.skip('../shared/examples/seed-article.txt is absent');
    // As a NER reads the article: full names once, Haniyeh twice.
    const entities: Entities = {
      people: [
        { name: 'Hossein Amirabdollahian', mentions: 1 },
        { name: 'Ziyad al-Nakhaleh', mentions: 1 },
        { name: 'Ismail Haniyeh', mentions: 2 },
        { name: 'Benjamin Netanyahu', mentions: 1 },
      ],
      organizations: [{ name: 'Palestinian Islamic Jihad', mentions: 4 }, { name: 'Hamas', mentions: 2 }, { name: 'White House', mentions: 1 }],
      places: [{ name: 'Gaza', mentions: 7 }, { name: 'Israel', mentions: 1 }, { name: 'West Bank', mentions: 1 }, { name: 'Iran', mentions: 1 }],
    };
    const found = (await quotes(readFileSync(seed, 'utf8'), entities)) ?? [];
    expect(found).toContainEqual({ text: 'the genocide against the Palestinians', speaker: 'Hossein Amirabdollahian' });
    expect(found).toContainEqual({ text: 'the Zionist regime’s invasion of Gaza.', speaker: 'Ziyad al-Nakhaleh' });
    expect(found).toContainEqual({ text: 'the end of the line', speaker: 'Hossein Amirabdollahian' });
    expect(found.map((q) => q.text)).not.toContain('the resistance');
  });
});
