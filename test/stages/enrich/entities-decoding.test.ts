import { describe, expect, it } from 'vitest';
import { bioSpans } from '../../../stages/enrich/entities/bio-spans.js';
import { documentHints } from '../../../stages/enrich/entities/document-hints.js';
import { harmoniseTypes } from '../../../stages/enrich/entities/harmonise-types.js';
import { groupEntities } from '../../../stages/enrich/entities/group-entities.js';
import { spanScores } from '../../../stages/enrich/entities/span-scores.js';
import { allowedTransitions, viterbiDecode } from '../../../stages/enrich/entities/viterbi-decode.js';

const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];

describe('bioSpans', () => {
  it('groups B-/I- runs into spans with exclusive ends', () => {
    expect(bioSpans(['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'I-LOC'])).toEqual([
      { start: 0, end: 2, type: 'PER' }, { start: 3, end: 4, type: 'LOC' }, { start: 4, end: 6, type: 'LOC' },
    ]);
  });

  it('opens a span at a stray I- tag, as conlleval does', () => {
    expect(bioSpans(['O', 'I-PER', 'I-LOC'])).toEqual([{ start: 1, end: 2, type: 'PER' }, { start: 2, end: 3, type: 'LOC' }]);
  });
});

describe('viterbiDecode', () => {
  it('never puts I-X after O or after another type, even when the token scores prefer it', () => {
    const L = LABELS.length;
    const emissions = new Float64Array(2 * L);
    emissions[0] = 1; // token 0 prefers O
    emissions[L + 4] = 5; // token 1 prefers I-LOC, illegal after O
    emissions[L + 3] = 1; // B-LOC is the legal second best
    const path = viterbiDecode(emissions, 2, L, new Float64Array((L + 1) * L), allowedTransitions(LABELS));
    expect(Array.from(path, (y) => LABELS[y])).toEqual(['B-LOC', 'I-LOC']);
  });

  it('uses transition scores to prefer a longer span', () => {
    const L = LABELS.length;
    const emissions = new Float64Array(2 * L);
    emissions[1] = 2; // B-PER
    emissions[L + 0] = 1; // O
    emissions[L + 2] = 0.9; // I-PER, just below O
    const trans = new Float64Array((L + 1) * L);
    trans[1 * L + 2] = 0.5; // B-PER -> I-PER
    const path = viterbiDecode(emissions, 2, L, trans, allowedTransitions(LABELS));
    expect(Array.from(path, (y) => LABELS[y])).toEqual(['B-PER', 'I-PER']);
  });
});

describe('groupEntities', () => {
  it('counts a surname-only mention towards the full name and sorts by mentions', () => {
    const e = groupEntities([
      { text: 'Hossein Amirabdollahian', type: 'PER' },
      { text: 'Gaza', type: 'LOC' },
      { text: 'Amirabdollahian', type: 'PER' },
      { text: 'Amirabdollahian', type: 'LOC' },
      { text: 'Gaza', type: 'LOC' },
      { text: 'Gaza', type: 'LOC' },
    ]);
    expect(e.people).toEqual([{ name: 'Hossein Amirabdollahian', mentions: 3 }]);
    expect(e.places).toEqual([{ name: 'Gaza', mentions: 3 }]);
    expect(e.organizations).toEqual([]);
  });

  it('leaves an ambiguous surname alone', () => {
    const e = groupEntities([
      { text: 'Anna Smith', type: 'PER' },
      { text: 'John Smith', type: 'PER' },
      { text: 'Smith', type: 'PER' },
    ]);
    expect(e.people.map((p) => p.name).sort()).toEqual(['Anna Smith', 'John Smith', 'Smith']);
  });

  it('does not fold a multi-word organisation into a person', () => {
    const e = groupEntities([{ text: 'Ismail Haniyeh', type: 'PER' }, { text: 'Palestinian Islamic Jihad', type: 'ORG' }]);
    expect(e.organizations).toEqual([{ name: 'Palestinian Islamic Jihad', mentions: 1 }]);
  });
});

describe('documentHints', () => {
  it('tells a later bare surname that it ended a person name elsewhere in the document', () => {
    const sentences = [['Foreign', 'Minister', 'Hossein', 'Amirabdollahian', 'spoke', '.'], ['Amirabdollahian', 'said', 'so', '.']];
    const firstPass = [['O', 'O', 'B-PER', 'I-PER', 'O', 'O'], ['B-LOC', 'O', 'O', 'O']];
    const hints = documentHints(sentences, firstPass);
    expect(hints[1]![0]).toContain('last=PER');
    expect(hints[1]![0]).toContain('t=PER');
    // A token's own first-pass span is not evidence for itself.
    expect(hints[1]![0]).not.toContain('t=LOC');
  });
});

describe('spanScores', () => {
  it('counts only exact spans and leaves MISC out of PER+ORG+LOC', () => {
    const gold = [['B-PER', 'I-PER', 'O', 'B-MISC']];
    const pred = [['B-PER', 'O', 'O', 'O']];
    const s = spanScores(gold, pred);
    expect(s.PER).toMatchObject({ precision: 0, recall: 0, gold: 1 });
    expect(s['PER+ORG+LOC']!.gold).toBe(1);
    expect(s.MISC!.recall).toBe(0);
  });
});

describe('harmoniseTypes', () => {
  it('gives every span of the same text its majority type in the document', () => {
    const sentences = [['Norton', 'spoke'], ['Emperor', 'Norton', 'ruled'], ['Norton', 'left']];
    const tags = [['B-PER', 'O'], ['O', 'B-PER', 'O'], ['B-LOC', 'O']];
    expect(harmoniseTypes(sentences, tags)).toEqual([['B-PER', 'O'], ['O', 'B-PER', 'O'], ['B-PER', 'O']]);
  });

  it('keeps each type on a tie and never moves boundaries', () => {
    const sentences = [['New', 'York', 'won'], ['New', 'York', 'grew']];
    const tags = [['B-ORG', 'I-ORG', 'O'], ['B-LOC', 'I-LOC', 'O']];
    expect(harmoniseTypes(sentences, tags)).toEqual(tags);
  });
});
