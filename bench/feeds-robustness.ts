// npm run bench:feeds:robustness — parse robustness of newsloom's feed parser against plain
// rss-parser on the corpus in test/fixtures/feed-corpus (the figures feedparser is measured by).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { parseFeedDocument } from '../stages/feeds/parse-feed-document.js';
import { scoreCorpusFile, type CorpusExpectation, type FileScore, type ScoredItem } from '../test/fixtures/feed-corpus/score-corpus-file.js';

const corpus = new URL('../test/fixtures/feed-corpus/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', corpus), 'utf8')) as Record<string, CorpusExpectation>;
const files = Object.entries(expected).map(([name, exp]) => ({ name, exp, bytes: readFileSync(new URL(`files/${name}`, corpus)) }));

type Run = (bytes: Buffer, exp: CorpusExpectation) => Promise<ScoredItem[]>;

const newsloom: Run = async (bytes, exp) =>
  parseFeedDocument(bytes, { contentType: exp.contentType ?? null, url: exp.url }).items.map((i) => ({
    title: i.title, link: i.link, guid: i.guid, published: i.published, author: i.author, content: i.content,
  }));

// As rss-parser is usually used: a fresh instance per document (a reused one can hang), defaultRSS 2,
// the body as a UTF-8 string (what parseString does with a Buffer); identity falls back to the link as ours does.
const rssParser: Run = async (bytes) => {
  const parser = new Parser({ defaultRSS: 2 });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 5_000)));
  try {
    const feed = await Promise.race([parser.parseString(bytes.toString('utf8')), limit]);
    return feed.items.map((i) => {
      const r = i as Record<string, unknown>;
      const s = (v: unknown) => (typeof v === 'string' ? v : null);
      const link = s(i.link);
      return {
        title: s(i.title), link, guid: s(i.guid) ?? s(r.id) ?? link, published: s(i.isoDate), author: s(i.creator) ?? s(r.author),
        content: s(r['content:encoded']) ?? s(i.content),
      };
    });
  } finally {
    clearTimeout(timer);
  }
};

interface Row {
  name: string;
  files: number;
  withItems: number;
  lostPct: number;
  fieldsRightPct: number;
  passingPct: number;
  medianMs: number;
  p95Ms: number;
  filesPerS: number;
  peakRssMb: number;
  misses: string[];
}

async function measure(name: string, run: Run): Promise<Row> {
  const scores: FileScore[] = [];
  const times: number[] = [];
  const misses: string[] = [];
  const started = performance.now();
  for (const f of files) {
    const t0 = performance.now();
    let got: ScoredItem[] | null;
    try {
      got = await run(f.bytes, f.exp);
    } catch {
      got = null;
    }
    times.push(performance.now() - t0);
    const score = scoreCorpusFile(f.exp, got);
    scores.push(score);
    if (!score.pass) misses.push(`${f.name}: ${score.firstMiss}`);
  }
  const elapsedS = (performance.now() - started) / 1000;
  const withItems = files.filter((f) => f.exp.itemCount > 0).length;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (n: number, d: number) => (100 * n) / d;
  return {
    name, files: files.length, withItems, misses,
    lostPct: pct(scores.filter((s) => s.lost).length, withItems),
    fieldsRightPct: pct(scores.reduce((a, s) => a + s.right, 0), scores.reduce((a, s) => a + s.checks, 0)),
    passingPct: pct(scores.filter((s) => s.pass).length, files.length),
    medianMs: sorted[Math.floor(sorted.length / 2)]!, p95Ms: sorted[Math.floor(sorted.length * 0.95)]!,
    filesPerS: files.length / elapsedS,
    // maxRSS only grows: the second row's figure includes the first run's peak.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const rows = [await measure('newsloom parseFeed', newsloom), await measure('rss-parser 3.13 (defaultRSS 2)', rssParser)];
const header = ['parser', 'files', 'feeds with items', 'lost %', 'fields right %', 'files passing %', 'median ms', 'p95 ms', 'files/s', 'peak RSS MB'];
const cells = rows.map((r) => [
  r.name, String(r.files), String(r.withItems), r.lostPct.toFixed(1), r.fieldsRightPct.toFixed(1), r.passingPct.toFixed(1),
  r.medianMs.toFixed(3), r.p95Ms.toFixed(3), r.filesPerS.toFixed(0), r.peakRssMb.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(`feed parse robustness on ${files.length} corpus files (target, feedparser: lost <= 1.2 %, passing >= 97.5 %)\n\n`);
process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`);
const ours = rows[0]!;
if (ours.misses.length > 0) process.stdout.write(`\nnewsloom misses (${ours.misses.length}):\n${ours.misses.slice(0, 40).map((m) => `  ${m}`).join('\n')}\n`);
