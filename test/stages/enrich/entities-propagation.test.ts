import { describe, expect, it } from 'vitest';
import { propagateNames } from '../../../stages/enrich/entities/propagate-names.js';
import { exchangeClusters } from '../../../stages/enrich/entities/word-clusters.js';
import { tokenFeatures } from '../../../stages/enrich/entities/token-features.js';
import { buildGazetteer } from '../../../stages/enrich/entities/gazetteer.js';

describe('propagateNames', () => {
  it('tags a later bare surname, and retypes a lone surname tagged as something else', () => {
    const sentences = [
      ['Foreign', 'Minister', 'Hossein', 'Amirabdollahian', 'spoke', '.'],
      ['Later', ',', 'Amirabdollahian', 'said', 'so', '.'],
      ['Amirabdollahian', 'left', '.'],
    ];
    const tags = [
      ['O', 'O', 'B-PER', 'I-PER', 'O', 'O'],
      ['O', 'O', 'O', 'O', 'O', 'O'],
      ['B-ORG', 'O', 'O'],
    ];
    expect(propagateNames(sentences, tags)).toEqual([
      ['O', 'O', 'B-PER', 'I-PER', 'O', 'O'],
      ['O', 'O', 'B-PER', 'O', 'O', 'O'],
      ['B-PER', 'O', 'O'],
    ]);
  });

  it('fills an untagged repeat of a place only when it is a whole capitalised run, and no organisation', () => {
    const sentences = [
      ['He', 'toured', 'Gaza', 'City', 'and', 'met', 'Islamic', 'Jihad', '.'],
      ['In', 'Gaza', 'City', 'streets', 'Islamic', 'Jihad', 'rallied', '.'],
      ['The', 'Gaza', 'City', 'Council', 'met', '.'],
    ];
    const tags = [
      ['O', 'O', 'B-LOC', 'I-LOC', 'O', 'O', 'B-ORG', 'I-ORG', 'O'],
      ['O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'],
      ['O', 'O', 'O', 'O', 'O', 'O'],
    ];
    const out = propagateNames(sentences, tags);
    expect(out[1]).toEqual(['O', 'B-LOC', 'I-LOC', 'O', 'O', 'O', 'O', 'O']);
    expect(out[2]).toEqual(tags[2]);
  });

  it('leaves a common sentence-initial word alone', () => {
    const lexicon = new Map([['may', { caps: 'lo', cluster: '' }]]);
    const out = propagateNames([['Theresa', 'May', 'spoke', '.'], ['May', 'we', 'go', '?']],
      [['B-PER', 'I-PER', 'O', 'O'], ['O', 'O', 'O', 'O']], { lexicon });
    expect(out[1]).toEqual(['O', 'O', 'O', 'O']);
  });
});

describe('exchangeClusters', () => {
  it('puts words that share neighbours in the same class, deterministically', () => {
    const sentences: string[][] = [];
    const people = ['smith', 'jones', 'brown', 'white'];
    const towns = ['paris', 'berlin', 'rome', 'oslo'];
    for (let r = 0; r < 20; r++) {
      for (const p of people) sentences.push(['mr', p, 'said', 'it']);
      for (const t of towns) sentences.push(['flights', 'to', t, 'today']);
    }
    const a = exchangeClusters(sentences, { classes: 6, minCount: 2, iterations: 10 });
    const b = exchangeClusters(sentences, { classes: 6, minCount: 2, iterations: 10 });
    expect([...a]).toEqual([...b]);
    expect(new Set(people.map((w) => a.get(w))).size).toBe(1);
    expect(new Set(towns.map((w) => a.get(w))).size).toBe(1);
    expect(a.get('smith')).not.toBe(a.get('paris'));
  });

  it('feeds word-class features of the word and its neighbours to the tagger', () => {
    const res = {
      gazetteer: buildGazetteer({ places: [], organisations: [], firstNames: [] }),
      lexicon: new Map(),
      clusters: new Map([['smith', ['3', '17', '101']], ['said', ['5', '9', '40']]]),
    };
    const f = tokenFeatures(['Smith', 'said'], res);
    expect(f[0]).toEqual(expect.arrayContaining(['k0=3', 'k1=17', 'k2=101', 'k1=17|c0', 'k+1.0=5', 'k+1.1=9']));
    expect(tokenFeatures(['Smith', 'said'], { ...res, groups: { brown: false } })[0]!.some((x) => x.startsWith('k'))).toBe(false);
  });
});
