import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { httpGet } from '../adapters/http/http-get.js';
import { httpOptions } from '../adapters/http/http-options.js';
import { loadEnrichStages } from '../adapters/enrich/load-stages.js';
import { configPathFrom } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../lib/errors.js';
import type { Article } from '../stages/article.js';
import { decideDuplicate } from '../stages/dedupe/decide-duplicate.js';
import { runStages, type ConfiguredStage } from '../stages/enrich/run-stages.js';
import { extractArticle } from '../stages/extract/extract-article.js';
import { checkPage } from '../stages/fetch/check-page.js';
import { decodeText } from '../stages/fetch/decode-text.js';
import { normaliseArticle } from '../stages/normalise/normalise-article.js';
import { optionalCliConfig, parseCommand } from './common.js';

export type ExtractResult = { kind: 'article'; article: Article } | { kind: 'skipped'; reason: string; detail: string };

/**
 * `newsloom extract <file|url>... [--url URL] [--jsonl]`: extract → normalise → enrich in-process,
 * no Redis; prints each article as JSON (one line per input with --jsonl, each carrying "input").
 */
export async function runExtract(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, { url: { type: 'string' }, jsonl: { type: 'boolean' } }, 'extract');
  if (positionals.length === 0) {
    process.stderr.write('newsloom extract: give at least one HTML file or URL\n');
    return 2;
  }
  const config = optionalCliConfig(values.config);
  const stages = await loadEnrichStages(config, configPathFrom(typeof values.config === 'string' ? values.config : undefined));
  let failures = 0;
  for (const input of positionals) {
    let line: Record<string, unknown>;
    try {
      const result = await extractInput(input, config, typeof values.url === 'string' ? values.url : undefined, stages);
      line = result.kind === 'article' ? { ...result.article } : { skipped: result.reason, detail: result.detail };
    } catch (err) {
      failures++;
      line = { error: describeError(err) };
    }
    if (values.jsonl) process.stdout.write(`${JSON.stringify({ input, ...line })}\n`);
    else process.stdout.write(`${JSON.stringify(line, null, 2)}\n`);
    // jsdom frees a closed window only once the event loop turns: let it, between pages.
    await new Promise((r) => setImmediate(r));
  }
  return failures > 0 ? 1 : 0;
}

/** Runs one file or URL through extract → normalise → (dedupe as first of its story) → enrich. */
export async function extractInput(input: string, config: Readonly<Config>, pageUrl?: string, stages?: ConfiguredStage[]): Promise<ExtractResult> {
  const isUrl = /^https?:\/\//i.test(input);
  const fetchedAt = new Date().toISOString();
  let url: string;
  let bytes: Buffer;
  let contentType: string | null = null;
  if (isUrl) {
    const res = await httpGet(input, { ...httpOptions(config.fetch, config.fetch.maxPageBytes), accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1' });
    const page = checkPage(res);
    if (page.kind === 'skipped') return page;
    url = page.url;
    bytes = page.body;
    contentType = page.contentType;
  } else {
    bytes = readFileSync(input);
    url = pageUrl ?? pathToFileURL(resolve(input)).href;
  }
  const out = extractArticle({ url, html: decodeText(bytes, contentType, 'html'), fetchedAt }, { dom: config.extract.dom, maxHtmlChars: config.extract.maxHtmlBytes });
  if (out.kind === 'skipped') return out;
  const normalised = normaliseArticle({ article: out.article, fetchedAt, feed: null });
  // In-process, so no retry: a retryable fault of a stage is recorded like any other.
  const enriched = await runStages(decideDuplicate(normalised, normalised.id), stages ?? (await loadEnrichStages(config)), { lastAttempt: true });
  return { kind: 'article', article: enriched };
}

