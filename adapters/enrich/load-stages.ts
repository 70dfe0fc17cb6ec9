import { dirname, resolve } from 'node:path';
import type { Config, EnrichStageEntry } from '../../config/schema.js';
import { NewsloomError } from '../../lib/errors.js';
import { BUILTIN_STAGES, type BuiltinStageName } from '../../stages/enrich/builtin-stages.js';
import type { ConfiguredStage } from '../../stages/enrich/run-stages.js';
import type { EnrichmentStage } from '../../stages/enrich/stage.js';
import { httpOptions } from '../http/http-options.js';
import { httpStage } from './http-stage.js';
import { loadModuleStage } from './module-stage.js';

// An HTTP stage's own deadline (a retryable NL_TIMEOUT) should decide before the runner's limit.
const HTTP_GRACE_MS = 1_000;

/**
 * The enabled stages of `enrich.stages`, loaded (built-ins, modules resolved against the config
 * file's folder, HTTP stages) with their options and time limits, in config order. Throws NL_CONFIG
 * naming the file and the entry when a module cannot be loaded or two stages share a name.
 */
export async function loadEnrichStages(config: Readonly<Config>, configPath?: string): Promise<ConfiguredStage[]> {
  const label = configPath ?? '(config)';
  const baseDir = configPath ? dirname(configPath) : process.cwd();
  const out: ConfiguredStage[] = [];
  const seen = new Map<string, number>();
  for (const [i, entry] of config.enrich.stages.entries()) {
    if (!entry.enabled) continue;
    const where = `${label}: enrich.stages[${i}]`;
    let stage: EnrichmentStage;
    try {
      stage = await loadEntry(entry, config, baseDir);
    } catch (err) {
      throw new NewsloomError(`${where}: ${(err as Error).message}`, 'NL_CONFIG', false, { cause: err });
    }
    const earlier = seen.get(stage.name);
    if (earlier !== undefined) {
      throw new NewsloomError(`${where}: stage name "${stage.name}" is already used by enrich.stages[${earlier}]; give one of them a name`, 'NL_CONFIG', false);
    }
    seen.set(stage.name, i);
    const timeoutMs = entry.kind === 'http' ? (entry.timeout ?? config.enrich.http.timeout) + HTTP_GRACE_MS : (entry.timeout ?? config.enrich.timeout);
    out.push({ stage, options: entry.options, timeoutMs });
  }
  return out;
}

async function loadEntry(entry: EnrichStageEntry, config: Readonly<Config>, baseDir: string): Promise<EnrichmentStage> {
  if (entry.kind === 'http') {
    const client = { ...httpOptions(config.fetch, config.enrich.http.maxBytes), timeoutMs: entry.timeout ?? config.enrich.http.timeout };
    return httpStage({ url: entry.target, name: entry.name, version: entry.version, client });
  }
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
    run: (article, context) => stage.run(article, context),
  };
}
