import { dirname, resolve } from 'node:path';
import type { Config, EnrichStageEntry } from '../../config/schema.js';
import { NewsloomError } from '../../lib/errors.js';
import { BUILTIN_STAGES, type BuiltinStageName } from '../../stages/enrich/builtin-stages.js';
import type { ConfiguredStage, StageBatcher } from '../../stages/enrich/run-stages.js';
import type { EnrichmentStage } from '../../stages/enrich/stage.js';
import { httpOptions } from '../http/http-options.js';
import { httpStage } from './http-stage.js';
import { loadModuleStage } from './module-stage.js';
import { EnrichPool, type EnrichThreadData } from '../enrich-thread/enrich-pool.js';

// An HTTP stage's own deadline (a retryable NL_TIMEOUT) should decide before the runner's limit.
const HTTP_GRACE_MS = 1_000;

/**
 * The enabled stages of `enrich.stages`, loaded (built-ins, modules resolved against the config
 * file's folder, HTTP stages) with their options and time limits, in config order. Throws NL_CONFIG
 * naming the file and the entry when a module cannot be loaded or two stages share a name.
 */
export async function loadEnrichStages(config: Readonly<Config>, configPath?: string, local?: LocalStageLoader, batch?: StageBatcher): Promise<ConfiguredStage[]> {
  const label = configPath ?? '(config)';
  const baseDir = configPath ? dirname(configPath) : process.cwd();
  const out: ConfiguredStage[] = [];
  const seen = new Map<string, number>();
  for (const [i, entry] of config.enrich.stages.entries()) {
    if (!entry.enabled) continue;
    const where = `${label}: enrich.stages[${i}]`;
    let stage: EnrichmentStage;
    try {
      const timeoutMs = entry.timeout ?? config.enrich.timeout;
      stage = local && entry.kind !== 'http' ? await local(entry, i, timeoutMs) : await loadEntry(entry, config, baseDir);
    } catch (err) {
      throw new NewsloomError(`${where}: ${(err as Error).message}`, 'NL_CONFIG', false, { cause: err });
    }
    const earlier = seen.get(stage.name);
    if (earlier !== undefined) {
      throw new NewsloomError(`${where}: stage name "${stage.name}" is already used by enrich.stages[${earlier}]; give one of them a name`, 'NL_CONFIG', false);
    }
    seen.set(stage.name, i);
    const timeoutMs = entry.kind === 'http' ? (entry.timeout ?? config.enrich.http.timeout) + HTTP_GRACE_MS : (entry.timeout ?? config.enrich.timeout);
    out.push({ stage, options: entry.options, timeoutMs, ...(local && entry.kind !== 'http' ? { selfTimed: true, ...(batch ? { batch } : {}) } : {}) });
  }
  return out;
}

/** Loads a built-in or module stage some other way (in enrichment threads): entry, its index in enrich.stages, its time limit. */
export type LocalStageLoader = (entry: EnrichStageEntry, index: number, timeoutMs: number) => Promise<EnrichmentStage> | EnrichmentStage;

export interface ThreadedStages {
  stages: ConfiguredStage[];
  /** Tasks handed to the enrichment threads so far: one per run of consecutive thread stages per article. */
  handOffs(): number;
  close(): Promise<void>;
}

/**
 * As loadEnrichStages, with built-in and module stages loaded and run in `enrich.threads` worker
 * threads (adapters/enrich-thread), so a spinning or runaway stage is killed at its time limit or
 * memory cap instead of blocking the worker; HTTP stages stay in-process. The threads are started and
 * loaded before this resolves; a module that cannot load fails here, its entry named.
 */
export async function loadEnrichStagesInThreads(config: Readonly<Config>, configPath?: string): Promise<ThreadedStages> {
  const baseDir = configPath ? dirname(configPath) : process.cwd();
  const localIndex = new Map<number, number>();
  const entries: EnrichThreadData['entries'] = [];
  for (const [i, entry] of config.enrich.stages.entries()) {
    if (!entry.enabled || entry.kind === 'http') continue;
    localIndex.set(i, entries.length);
    entries.push({ kind: entry.kind, target: entry.target, ...(entry.name !== undefined ? { name: entry.name } : {}) });
  }
  const pool = new EnrichPool({ entries, baseDir }, { size: config.enrich.threads, maxOldGenerationSizeMb: config.enrich.threadMemory });
  try {
    const described = entries.length > 0 ? await pool.describe() : [];
    const stages = await loadEnrichStages(config, configPath, (_entry, i, timeoutMs) => {
      const j = localIndex.get(i)!;
      const d = described[j];
      if (d === undefined) throw new Error('not loaded by the enrichment thread');
      if (!d.ok) throw new Error(d.message);
      return pool.stage(j, d, timeoutMs);
    }, pool.batcher);
    return { stages, handOffs: () => pool.handOffs, close: () => pool.close() };
  } catch (err) {
    await pool.close();
    if (err instanceof NewsloomError && err.code === 'NL_CONFIG') throw err;
    throw new NewsloomError(`${configPath ?? '(config)'}: enrich.stages: the enrichment threads could not load their stages: ${(err as Error).message}`, 'NL_CONFIG', false, { cause: err });
  }
}

async function loadEntry(entry: EnrichStageEntry, config: Readonly<Config>, baseDir: string): Promise<EnrichmentStage> {
  if (entry.kind === 'http') {
    const client = { ...httpOptions(config.fetch, config.enrich.http.maxBytes), timeoutMs: entry.timeout ?? config.enrich.http.timeout };
    return httpStage({ url: entry.target, name: entry.name, version: entry.version, client });
  }
  return loadLocalStage(entry, baseDir);
}

/** A built-in or module stage (code that runs where it is loaded: in-process, or in an enrichment thread). */
export async function loadLocalStage(entry: Pick<EnrichStageEntry, 'kind' | 'target' | 'name'>, baseDir: string): Promise<EnrichmentStage> {
  const stage = entry.kind === 'builtin' ? await BUILTIN_STAGES[entry.target as BuiltinStageName]() : await loadModuleStage(resolve(baseDir, entry.target));
  return entry.name === undefined ? stage : renamed(stage, entry.name);
}

/** The same stage recorded under another name (the same module twice with other options). */
function renamed(stage: EnrichmentStage, name: string): EnrichmentStage {
  return {
    name,
    get version() {
      return stage.version;
    },
    writes: stage.writes,
    ...(stage.readsTerms !== undefined ? { readsTerms: stage.readsTerms } : {}),
    run: (article, context) => stage.run(article, context),
  };
}
