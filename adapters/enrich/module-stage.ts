import { pathToFileURL } from 'node:url';
import { NewsloomError } from '../../lib/errors.js';
import { isWritableField, WRITABLE_FIELDS } from '../../stages/enrich/run-stages.js';
import type { EnrichmentStage } from '../../stages/enrich/stage.js';

/**
 * Imports a user stage from an ES module (an absolute path; the loader resolves config paths):
 * its default export, else its `stage` export, checked for the EnrichmentStage shape. Loaded once
 * at worker start; every problem names the file.
 */
export async function loadModuleStage(path: string): Promise<EnrichmentStage> {
  const fail = (what: string, cause?: unknown) =>
    new NewsloomError(`enrichment stage module ${path}: ${what}`, 'NL_ENRICH_MODULE', false, cause === undefined ? undefined : { cause });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw fail(`cannot import: ${(err as Error).message ?? String(err)}`, err);
  }
  const stage = mod.default ?? mod.stage;
  if (typeof stage !== 'object' || stage === null) throw fail('expected a default export (or an export named stage) of { name, version, writes, run }');
  const s = stage as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof s.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(s.name)) problems.push(`name: expected letters, digits, "_", "." or "-", got ${show(s.name)}`);
  if (typeof s.version !== 'string' || s.version === '') problems.push(`version: expected a non-empty string, got ${show(s.version)}`);
  if (!Array.isArray(s.writes) || s.writes.length === 0) {
    problems.push(`writes: expected a non-empty array of article fields, got ${show(s.writes)}`);
  } else {
    const bad = s.writes.filter((w) => typeof w !== 'string' || !isWritableField(w));
    if (bad.length > 0) problems.push(`writes: ${bad.map(show).join(', ')} not writable; expected some of ${WRITABLE_FIELDS.join(', ')}`);
  }
  if (typeof s.run !== 'function') problems.push(`run: expected a function (article, context) => patch, got ${show(s.run)}`);
  if (problems.length > 0) throw fail(problems.join('; '));
  return stage as EnrichmentStage;
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
