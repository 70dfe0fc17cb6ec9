import { existsSync } from 'node:fs';
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

describe('surname and company features', () => {
  const gazetteer = buildGazetteer({ places: [], organisations: [], firstNames: ['Antonin'], surnames: ['Scalia', 'Smith'], companies: ['Lufthansa'] });
  const res: FeatureResources = { gazetteer, lexicon: new Map() };

  it('marks a listed surname after a first name or title, and the word before a surname', () => {
    const f = tokenFeatures(['Antonin', 'Scalia', 'met', 'Justice', 'Smith', 'and', 'Ngozi', 'Smith', '.'], res);
    expect(f[1]).toEqual(expect.arrayContaining(['sn', 'sn|fn-1']));
    expect(f[0]).toContain('sn+1|fn');
    expect(f[4]).toEqual(expect.arrayContaining(['sn', 'sn|title-1']));
    expect(f[7]).toEqual(expect.arrayContaining(['sn', 'sn|cap-1']));
    expect(f[6]).toContain('sn+1');
    expect(tokenFeatures(['a', 'smith', 'worked'], res)[1]!.some((x) => x.startsWith('sn'))).toBe(false);
  });

  it('marks a listed company word and its neighbours, and both groups switch off', () => {
    const f = tokenFeatures(['Lufthansa', 'Cargo', 'flew', '.'], res);
    expect(f[0]).toContain('co');
    expect(f[1]).toContain('co-1');
    const off = tokenFeatures(['Lufthansa', 'Cargo', 'and', 'Antonin', 'Scalia'], { ...res, groups: { surnames: false, companies: false } });
    expect(off.flat().some((x) => x === 'co' || x === 'co-1' || x.startsWith('sn'))).toBe(false);
  });
});

const CSPELL = new URL('../../../node_modules/@cspell/dict-people-names/dict/people-names.txt', import.meta.url);

describe('buildGazetteerData with --name-lists (needs the installed @cspell lists)', () => {
  if (!existsSync(CSPELL)) console.log('skipping: @cspell/dict-people-names is not installed');
  it.skipIf(!existsSync(CSPELL))('keeps brand names and drops tickers, places, organisation words and lower-case words from the company list', async () => {
    const { buildGazetteerData } = await import('../../../scripts/train-ner.js');
    const data = buildGazetteerData(100000, new Set(['booking']));
    expect(buildGazetteerData(100000)).not.toHaveProperty('surnames');
    expect(data.companies).toContain('Broadcom');
    expect(data.companies).not.toContain('Lufthansa'); // in KNOWN_ORGS already
    for (const w of ['AAPL', 'Berlin', 'Booking', 'Corporation']) expect(data.companies).not.toContain(w);
    expect(data.surnames).toContain('Scalia');
    expect(data.surnames).not.toContain('Aaron');
  });
});
