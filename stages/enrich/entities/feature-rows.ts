import { emitFeatures, emitHints, PAIR_SLOTS, WORD_SLOTS, type FeatureResources, type FeatureSink } from './token-features.js';
import type { NerModel } from './ner-model.js';
import { wordFacts, type RowMemo } from './word-facts.js';

const NO_ROWS: ReadonlyMap<string, number> = new Map();

/** A feature's row in the flat weights array. */
type Row = number;
type Table<T> = Map<string, T>;

/**
 * Emission scores of each token, summed from its features' weights without building the
 * feature strings.
 * Looking a freshly concatenated string up in a Map means flattening and hashing it every time,
 * and that was most of the tagger's time. Here the weights are split by feature prefix into
 * nested tables, built on a prefix's first use: a feature is then looked up by its parts, which
 * are constants or strings kept in word-facts.ts's cache, whose hashes V8 computes once.
 * The weights sit in one flat array, a row per feature holding every pass's labels, and are
 * added straight into the sentence's score matrix in the order tokenFeatures lists the strings,
 * so the sums are the same to the bit (test/stages/enrich/entities-fast-path.test.ts).
 */
export class FeatureTable implements FeatureSink {
  /** Feature names by the text up to their first "=" (or the whole name). */
  private readonly byHead = new Map<string, string[]>();
  private readonly index = new Map<string, Row>();
  private readonly weights: Float32Array;
  /** Labels per pass, and row width (labels x passes). */
  private readonly labels: number;
  private readonly width: number;
  private readonly values: Table<Table<Row>> = new Map();
  private readonly pairs: Table<Table<Table<Row>>> = new Map();
  private readonly triples: Table<Table<Table<Table<Row>>>> = new Map();
  /** The matrix being summed into, and the first pass summed (later ones only, for hints). */
  private sums: Float64Array = new Float64Array(0);
  private firstPass = 0;
  private at = -1;

  /** The weights of every pass's model (same labels), side by side in each row as jointWeights lays them out. */
  constructor(models: readonly NerModel[]) {
    this.labels = models[0]!.labels.length;
    this.width = this.labels * models.length;
    for (const m of models) {
      for (const name of m.weights.keys()) {
        if (this.index.has(name)) continue;
        this.index.set(name, this.index.size);
        const eq = name.indexOf('=');
        const head = eq < 0 ? name : name.slice(0, eq + 1);
        let list = this.byHead.get(head);
        if (list === undefined) this.byHead.set(head, (list = []));
        list.push(name);
      }
    }
    this.weights = new Float32Array(this.index.size * this.width);
    models.forEach((m, k) => {
      for (const [name, row] of m.weights) this.weights.set(row, this.index.get(name)! * this.width + k * this.labels);
    });
  }

  /**
   * Emission scores of one sentence (tokenFeatures' features): tokens x (labels x passes), each
   * token's row holding every pass's label scores side by side, as the weight rows do.
   */
  emissions(words: readonly string[], res: FeatureResources): Float64Array {
    this.sums = new Float64Array(words.length * this.width);
    this.firstPass = 0;
    this.at = -1;
    emitFeatures(wordFacts(words, res), res, this);
    return this.sums;
  }

  /** Adds one token's document-hint features (hintFeatures) to the scores of pass `pass` (and later ones). */
  addHints(sums: Float64Array, pass: number, hints: readonly string[], position: number): void {
    this.sums = sums;
    this.firstPass = pass;
    this.at = position;
    emitHints(hints, position, this);
  }

  token(): void {
    this.at++;
  }

  private add(row: Row): void {
    const skip = this.firstPass * this.labels;
    const sums = this.sums;
    const w = this.weights;
    const to = this.at * this.width + skip;
    const from = row * this.width + skip;
    const n = this.width - skip;
    for (let j = 0; j < n; j++) sums[to + j]! += w[from + j]!;
  }

  flag(name: string): void {
    const row = this.index.get(name);
    if (row !== undefined) this.add(row);
  }

  value(prefix: string, v: string): void {
    const row = (this.values.get(prefix) ?? this.valueTable(prefix)).get(v);
    if (row !== undefined) this.add(row);
  }

  /** As value(), remembered per word: most features are one word's fact (its own or a neighbour's). */
  word(slot: number, prefix: string, v: string, facts: RowMemo): void {
    let memo = facts.memo;
    if (memo === undefined || facts.memoOwner !== this) {
      facts.memo = memo = new Int32Array(WORD_SLOTS).fill(-2);
      facts.memoOwner = this;
      facts.pairMemo = undefined;
    }
    let row = memo[slot]!;
    if (row === -2) memo[slot] = row = (this.values.get(prefix) ?? this.valueTable(prefix)).get(v) ?? -1;
    if (row >= 0) this.add(row);
  }

  pair(prefix: string, a: string, b: string): void {
    // A part holding "|" could be split more than one way: look the whole name up instead.
    const row = a.includes('|') || b.includes('|')
      ? this.index.get(`${prefix}${a}|${b}`)
      : (this.pairs.get(prefix) ?? this.pairTable(prefix)).get(a)?.get(b);
    if (row !== undefined) this.add(row);
  }

  /** As pair(), with a's table of second parts remembered per word (null: a holds "|", looked up whole). */
  wordPair(slot: number, prefix: string, a: string, b: string, facts: RowMemo): void {
    let tables = facts.pairMemo;
    if (tables === undefined || facts.memoOwner !== this) {
      if (facts.memoOwner !== this) {
        facts.memo = new Int32Array(WORD_SLOTS).fill(-2);
        facts.memoOwner = this;
      }
      facts.pairMemo = tables = new Array(PAIR_SLOTS).fill(undefined);
    }
    let byB = tables[slot];
    if (byB === undefined) tables[slot] = byB = a.includes('|') ? null : ((this.pairs.get(prefix) ?? this.pairTable(prefix)).get(a) ?? NO_ROWS);
    if (byB === null) return this.pair(prefix, a, b);
    if (byB.size === 0) return;
    const row = b.includes('|') ? this.index.get(`${prefix}${a}|${b}`) : byB.get(b);
    if (row !== undefined) this.add(row);
  }

  triple(prefix: string, a: string, b: string, c: string): void {
    const row = a.includes('|') || b.includes('|') || c.includes('|')
      ? this.index.get(`${prefix}${a}|${b}|${c}`)
      : (this.triples.get(prefix) ?? this.tripleTable(prefix)).get(a)?.get(b)?.get(c);
    if (row !== undefined) this.add(row);
  }

  /** Names starting with `prefix`, each with the rest of the name. */
  private *withPrefix(prefix: string): Generator<[rest: string, row: Row]> {
    const eq = prefix.indexOf('=');
    for (const name of this.byHead.get(eq < 0 ? prefix : prefix.slice(0, eq + 1)) ?? []) {
      if (name.startsWith(prefix)) yield [name.slice(prefix.length), this.index.get(name)!];
    }
  }

  private valueTable(prefix: string): Table<Row> {
    const table = new Map(this.withPrefix(prefix));
    this.values.set(prefix, table);
    return table;
  }

  /** Parts split at the first "|": exact for every lookup whose parts hold none (the others look the whole name up). */
  private pairTable(prefix: string): Table<Table<Row>> {
    const table: Table<Table<Row>> = new Map();
    for (const [rest, row] of this.withPrefix(prefix)) {
      const bar = rest.indexOf('|');
      if (bar < 0) continue;
      const a = rest.slice(0, bar);
      let byB = table.get(a);
      if (byB === undefined) table.set(a, (byB = new Map()));
      byB.set(rest.slice(bar + 1), row);
    }
    this.pairs.set(prefix, table);
    return table;
  }

  private tripleTable(prefix: string): Table<Table<Table<Row>>> {
    const table: Table<Table<Table<Row>>> = new Map();
    for (const [rest, row] of this.withPrefix(prefix)) {
      const bar1 = rest.indexOf('|');
      const bar2 = bar1 < 0 ? -1 : rest.indexOf('|', bar1 + 1);
      if (bar2 < 0) continue;
      const a = rest.slice(0, bar1);
      const b = rest.slice(bar1 + 1, bar2);
      let byB = table.get(a);
      if (byB === undefined) table.set(a, (byB = new Map()));
      let byC = byB.get(b);
      if (byC === undefined) byB.set(b, (byC = new Map()));
      byC.set(rest.slice(bar2 + 1), row);
    }
    this.triples.set(prefix, table);
    return table;
  }
}
