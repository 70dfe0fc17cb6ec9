import { describe, expect, it } from 'vitest';
import { buildGazetteer, gazetteerMatches } from '../../../stages/enrich/entities/gazetteer.js';
import { tokenFeatures, type FeatureResources } from '../../../stages/enrich/entities/token-features.js';

const resources: FeatureResources = {
  gazetteer: buildGazetteer({ places: [], organisations: [], firstNames: [] }),
  lexicon: new Map(),
};

describe('tokenFeatures organisation cues', () => {
  it('marks a capitalised word after an organisation head word in the same name', () => {
    const f = tokenFeatures(['He', 'studied', 'at', 'the', 'University', 'of', 'California', '.'], resources);
    expect(f[6]).toContain('orgw-2');
    expect(f[2]).not.toContain('orgw-1');
  });

  it('marks acronyms outside all-capitals sentences and "X \'s spokesman"', () => {
    const f = tokenFeatures(['The', 'IAEA', "'s", 'spokesman', 'said', 'so', 'today', '.'], resources);
    expect(f[1]).toEqual(expect.arrayContaining(['acr', 'poss-role']));
    const headline = tokenFeatures(['MARKETS', 'FALL', 'AGAIN', 'AFTER', 'RATES', 'RISE'], resources);
    expect(headline[1]).not.toContain('acr');
  });

  it('leaves the cue groups out when switched off', () => {
    const f = tokenFeatures(['NATO', 'met', '.'], { ...resources, groups: { orgcues: false, wide: false } });
    expect(f[0]!.some((x) => x === 'acr' || x.startsWith('w-3='))).toBe(false);
  });
});

describe('gazetteer organisations', () => {
  it('knows news agencies, companies and bodies by their usual names, hyphenated or possessive', () => {
    const gaz = buildGazetteer({ places: [], organisations: [], firstNames: [] });
    expect(gazetteerMatches(['Xinhua', 'reported', 'that', 'Huawei', 'and', 'the', 'IAEA', 'met'], gaz))
      .toEqual([['ORG:U'], [], [], ['ORG:U'], [], [], ['ORG:U'], []]);
    expect(gazetteerMatches(['at', 'Goldman', 'Sachs', 'and', 'McDonald', "'s"], gaz))
      .toEqual([[], ['ORG:B'], ['ORG:I'], [], ['ORG:B'], ['ORG:I']]);
  });
});
