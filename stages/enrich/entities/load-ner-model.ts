import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FeatureTable } from './feature-rows.js';
import { buildGazetteer, type GazetteerData } from './gazetteer.js';
import { decodeNerModel, type NerModel, type NerModelFile } from './ner-model.js';
import type { FeatureResources, LexiconEntry } from './token-features.js';

/** The trained model plus the lists its features read. */
export interface NerBundle {
  /** One model per tagging pass: the first alone, the second with document hints. */
  readonly models: readonly NerModel[];
  /** All models' weights in one table for fast lookup (feature-rows.ts); built on first use. */
  table?: FeatureTable;
  readonly resources: FeatureResources;
}

/**
 * models/ner/ seen from this module: three levels up when run from source
 * (stages/enrich/entities/), four when compiled into dist/stages/enrich/entities/.
 */
export function nerModelDir(): URL {
  const fromSource = new URL('../../../models/ner/', import.meta.url);
  if (existsSync(new URL('weights.json.gz', fromSource))) return fromSource;
  return new URL('../../../../models/ner/', import.meta.url);
}

const readGz = (url: URL): string => gunzipSync(readFileSync(url)).toString('utf8');

/** Parses lexicon.tsv.gz: `word<TAB>caps<TAB>cluster` lines. */
export function parseLexicon(text: string): Map<string, LexiconEntry> {
  const out = new Map<string, LexiconEntry>();
  for (const line of text.split('\n')) {
    const [word, caps, cluster] = line.split('\t');
    if (word && caps !== undefined) out.set(word, { caps, cluster: cluster ?? '' });
  }
  return out;
}

/** Reads the gazetteer and lexicon files of a model directory (no weights). */
export function loadFeatureResources(dir: URL): FeatureResources {
  const gazetteer = buildGazetteer(JSON.parse(readGz(new URL('gazetteer.json.gz', dir))) as GazetteerData);
  const lexUrl = new URL('lexicon.tsv.gz', dir);
  const lexicon = existsSync(lexUrl) ? parseLexicon(readGz(lexUrl)) : new Map<string, LexiconEntry>();
  const clUrl = new URL('clusters.tsv.gz', dir);
  const clusters = existsSync(clUrl) ? parseClusters(readGz(clUrl)) : undefined;
  return { gazetteer, lexicon, clusters };
}

/**
 * Parses clusters.tsv.gz: a `#word<TAB>k...` header, then `word<TAB>class<TAB>class...` lines.
 * About 100k lines: scanned with indexOf rather than split per line, and the few thousand distinct
 * class ids are shared strings, which keeps the stage's load time and memory down.
 */
export function parseClusters(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const ids = new Map<string, string>();
  for (let pos = 0; pos < text.length;) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (end > pos && text[pos] !== '#') {
      let tab = text.indexOf('\t', pos);
      if (tab < 0 || tab > end) tab = end;
      const classes: string[] = [];
      for (let at = tab; at < end;) {
        let next = text.indexOf('\t', at + 1);
        if (next < 0 || next > end) next = end;
        const id = text.slice(at + 1, next);
        let shared = ids.get(id);
        if (shared === undefined) ids.set(id, (shared = id));
        classes.push(shared);
        at = next;
      }
      out.set(text.slice(pos, tab), classes);
    }
    pos = end + 1;
  }
  return out;
}

/** Reads weights, gazetteer and lexicon from a model directory. */
export function loadNerBundle(dir: URL = nerModelDir()): NerBundle {
  const file = JSON.parse(readGz(new URL('weights.json.gz', dir))) as NerWeightsFile;
  const resources = loadFeatureResources(dir);
  return { models: file.passes.map(decodeNerModel), resources: { ...resources, groups: file.groups } };
}

/** weights.json.gz: the models of both passes and the feature groups they were trained with. */
export interface NerWeightsFile {
  readonly passes: NerModelFile[];
  readonly groups?: FeatureResources['groups'];
}

let cached: NerBundle | undefined;

/** The committed model, read once on first use (about 0.2 s), then shared. */
export function defaultNerBundle(): NerBundle {
  cached ??= loadNerBundle();
  return cached;
}
