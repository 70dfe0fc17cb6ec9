import { describe, expect, it } from 'vitest';
import { buildGazetteer } from '../../../stages/enrich/entities/gazetteer.js';
import { abbreviates, refineSpans } from '../../../stages/enrich/entities/refine-spans.js';

const res = { gazetteer: buildGazetteer({ places: ['Sweden', 'Tokyo', 'Belgium'], organisations: [], firstNames: [] }) };
const refine = (words: string[], tags: string[], rules?: Parameters<typeof refineSpans>[3]): string[] =>
  refineSpans([words], [tags], res, rules)[0]!;

describe('refineSpans', () => {
  it('drops titles from the front of a person name, but never the whole name', () => {
    expect(refine(['by', 'Justice', 'Scalia', ','], ['O', 'B-PER', 'I-PER', 'O']))
      .toEqual(['O', 'O', 'B-PER', 'O']);
    expect(refine(['Prime', 'Minister', 'Keir', 'Starmer'], ['B-PER', 'I-PER', 'I-PER', 'I-PER']))
      .toEqual(['O', 'O', 'B-PER', 'I-PER']);
    expect(refine(['President', 'spoke'], ['B-PER', 'O'])).toEqual(['B-PER', 'O']);
    expect(refine(['Justice', 'Scalia'], ['B-PER', 'I-PER'], { titles: false })).toEqual(['B-PER', 'I-PER']);
  });

  it('makes a listed place tagged ORG a place, unless it acts as the subject of a verb', () => {
    expect(refine(['Tokyo', "'s", 'district'], ['B-ORG', 'O', 'O'])).toEqual(['B-LOC', 'O', 'O']);
    expect(refine(['for', 'Sweden', 'and', 'Belgium'], ['O', 'B-ORG', 'O', 'B-ORG'])).toEqual(['O', 'B-LOC', 'O', 'B-LOC']);
    expect(refine(['Sweden', 'defeated', 'Belgium', '.'], ['B-ORG', 'O', 'B-ORG', 'O'])).toEqual(['B-ORG', 'O', 'B-LOC', 'O']);
    // A listed organisation ("EU") or an unlisted name stays ORG.
    expect(refine(['in', 'the', 'EU', '.'], ['O', 'O', 'B-ORG', 'O'])).toEqual(['O', 'O', 'B-ORG', 'O']);
    expect(refine(['in', 'Acme', '.'], ['O', 'B-ORG', 'O'])).toEqual(['O', 'B-ORG', 'O']);
  });

  it('splits two organisations joined by "and" only after an organisation word', () => {
    expect(refine(['the', 'British', 'Library', 'and', 'Columbia', 'University'], ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG']))
      .toEqual(['O', 'B-ORG', 'I-ORG', 'O', 'B-ORG', 'I-ORG']);
    const court = ['Newfoundland', 'and', 'Labrador', 'Court', 'of', 'Appeal'];
    const whole = ['B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG'];
    expect(refine(court, whole)).toEqual(whole);
  });

  it('makes a place of several words ending in an organisation head word an organisation', () => {
    expect(refine(['Brampton', 'City', 'Council', 'met'], ['B-LOC', 'I-LOC', 'I-LOC', 'O'])).toEqual(['B-ORG', 'I-ORG', 'I-ORG', 'O']);
    expect(refine(['the', 'Chicago', 'Sun-Times'], ['O', 'B-LOC', 'I-LOC'])).toEqual(['O', 'B-ORG', 'I-ORG']);
    // Head words that also end place and building names, a lone word, and the rule switched off.
    expect(refine(['the', 'West', 'Bank'], ['O', 'B-LOC', 'I-LOC'])).toEqual(['O', 'B-LOC', 'I-LOC']);
    expect(refine(['in', 'Council'], ['O', 'B-LOC'])).toEqual(['O', 'B-LOC']);
    expect(refine(['Collins', 'College'], ['B-LOC', 'I-LOC'], { heads: false })).toEqual(['B-LOC', 'I-LOC']);
  });

  it('types an acronym defined after an organisation, there and where it was tagged otherwise', () => {
    const sentences = [
      ['the', 'International', 'Organization', 'for', 'Renewable', 'Energies', '(', 'IRENA', ')', 'said'],
      ['IRENA', 'expects', 'growth', ',', 'IRENA', 'staff', 'say'],
      ['the', 'Compact', 'Fluorescent', 'Light', '(', 'CFL', ')'],
    ];
    const tags = [
      ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'B-MISC', 'O', 'O'],
      ['B-PER', 'O', 'O', 'O', 'O', 'O', 'O'],
      ['O', 'B-MISC', 'I-MISC', 'I-MISC', 'O', 'O', 'O'],
    ];
    const out = refineSpans(sentences, tags, res);
    expect(out[0]![7]).toBe('B-ORG');
    // Tagged as another type: retyped; left untagged by the tagger: left alone.
    expect(out[1]).toEqual(['B-ORG', 'O', 'O', 'O', 'O', 'O', 'O']);
    // Only organisations define acronyms.
    expect(out[2]).toEqual(tags[2]);
    // An untagged definition right after its organisation is tagged.
    const apec = ['the', 'Asia', '-', 'Pacific', 'Economic', 'Cooperation', '(', 'APEC', ')'];
    expect(refine(apec, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O'])[7]).toBe('B-ORG');
    expect(refine(apec, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O'], { acronyms: false })[7]).toBe('O');
  });

  it('matches acronyms to long forms letter by letter, the first at a word start', () => {
    expect(abbreviates('APEC', ['Asia', '-', 'Pacific', 'Economic', 'Cooperation'])).toBe(true);
    expect(abbreviates('IRENA', ['International', 'Organization', 'for', 'Renewable', 'Energies'])).toBe(true);
    expect(abbreviates('NATO', ['World', 'Health', 'Organization'])).toBe(false);
    expect(abbreviates('XWHO', ['World', 'Health', 'Organization'])).toBe(false);
  });
});
