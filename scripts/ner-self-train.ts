// Self-training data for the NER tagger (train-ner.ts --self-train, ner-dev.ts --self-train): the
// English sentences of the stored news pages in ../shared/corpora/extraction-dev, tagged by a
// train-only model, kept where independent taggings agree (self-training.ts). Read at training time
// only; the stage never reads them. Deterministic: pages in name order, fixed seeds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { NerBundle } from '../stages/enrich/entities/load-ner-model.js';
import { decodeNerModel } from '../stages/enrich/entities/ner-model.js';
import { propagateNames } from '../stages/enrich/entities/propagate-names.js';
import { refineSpans } from '../stages/enrich/entities/refine-spans.js';
import { agreedSentences, withoutMisc } from '../stages/enrich/entities/self-training.js';
import { tagDocument } from '../stages/enrich/entities/tag-document.js';
import { tokenizeText } from '../stages/enrich/entities/tokenize-text.js';
import { englishSentences } from './build-ner-clusters.js';
import { pageText, trainModel, type CorpusDoc, type TrainConfig } from './train-ner.js';

/** Source name of self-training documents: open MISC, weighted by `TrainConfig.selfWeight`. */
export const SELF_TRAIN_SOURCE = 'self-train';

/** Common English words not also common in German, Dutch, French or Spanish ("in", "a", "was", "is" are). */
const ENGLISH = new Set(['the', 'and', 'of', 'to', 'that', 'for', 'with', 'said', 'he', 'she', 'by', 'from', 'has', 'have', 'are', 'were', 'this', 'will', 'which', 'their']);

/** At least 1 word in `per` an English function word (10 for a sentence, 20 for a whole page). */
const englishEnough = (words: readonly string[], per: number): boolean => words.filter((w) => ENGLISH.has(w.toLowerCase())).length * per >= words.length;

const PAGES = new URL('../../shared/corpora/extraction-dev/pages/', import.meta.url);

/**
 * One document per stored English page: its English sentences of 6 to 60 tokens, each sentence text kept
 * once across all pages (menus and newsletter boxes repeat from page to page). Tags are empty.
 */
export function pageDocuments(): CorpusDoc[] {
  if (!existsSync(PAGES)) return [];
  const seen = new Set<string>();
  const docs: CorpusDoc[] = [];
  for (const f of readdirSync(PAGES).sort()) {
    const html = gunzipSync(readFileSync(new URL(f, PAGES))).toString('utf8');
    const all = englishSentences(tokenizeText(pageText(html)).map((s) => s.map((t) => t.text)));
    if (!englishEnough(all.flat(), 20)) continue;
    const sentences = all
      .filter((s) => s.length >= 6 && s.length <= 60 && englishEnough(s, 10))
      .filter((s) => { const k = s.join(' '); if (seen.has(k)) return false; seen.add(k); return true; });
    if (sentences.length > 0) docs.push({ id: `page:${f}`, source: SELF_TRAIN_SOURCE, sentences: sentences.map((s) => ({ words: [...s], tags: [] })) });
  }
  return docs;
}

/** The stage's output for a document (two passes, propagation, span rules), also for a one-pass model. */
function stageTags(bundle: NerBundle, words: readonly (readonly string[])[]): string[][] {
  const tags = tagDocument(bundle, words);
  if (bundle.models.length > 1) return tags;
  return refineSpans(words, propagateNames(words, tags, bundle.resources), bundle.resources);
}

/** Which taggings must agree with the labeller: its own first pass, and/or one-pass models trained on each half of train. */
export type Agreement = 'pass1' | 'halves';

/** Independent checkers: the labeller's first pass alone; one-pass, one-shuffle models on the even and odd train documents. */
export function checkers(labeller: NerBundle, train: readonly CorpusDoc[], config: TrainConfig, agree: readonly Agreement[], epochs: number): NerBundle[] {
  const out: NerBundle[] = [];
  if (agree.includes('pass1') && labeller.models.length > 1) out.push({ models: [labeller.models[0]!], resources: labeller.resources });
  if (agree.includes('halves')) {
    const one = { ...config, bagSize: 1, twoPass: false };
    for (let h = 0; h < 2; h++) {
      const { passes } = trainModel(train.filter((_, i) => i % 2 === h), one, { fixed: [[epochs]] });
      out.push({ models: passes.map(decodeNerModel), resources: config.resources });
    }
  }
  return out;
}

/**
 * Pseudo-labelled documents: each page tagged by `labeller` (stage output, MISC removed), keeping
 * the sentences every checker tags the same way (with `namesOnly`, only those holding a name).
 */
export function selfTrainingDocs(pages: readonly CorpusDoc[], labeller: NerBundle, check: readonly NerBundle[], namesOnly = false): { docs: CorpusDoc[]; kept: number; total: number; names: number } {
  const docs: CorpusDoc[] = [];
  let kept = 0; let total = 0; let names = 0;
  for (const p of pages) {
    const words = p.sentences.map((s) => s.words);
    const labels = stageTags(labeller, words);
    const keep = agreedSentences(words, [labels, ...check.map((c) => stageTags(c, words))], namesOnly);
    total += words.length;
    kept += keep.length;
    if (keep.length === 0) continue;
    const sentences = keep.map((i) => ({ words: words[i]!, tags: withoutMisc(labels[i]!) }));
    names += sentences.reduce((n, s) => n + s.tags.filter((t) => t.startsWith('B-')).length, 0);
    docs.push({ id: p.id, source: SELF_TRAIN_SOURCE, sentences });
  }
  return { docs, kept, total, names };
}
