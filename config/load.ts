import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { NewsloomError } from '../lib/errors.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_PATH = 'config/newsloom.yaml';

export interface LoadedConfig {
  path: string;
  config: Readonly<Config>;
}

/** Environment variables that override config keys; the only place newsloom reads process.env for config. */
const ENV_OVERRIDES: ReadonlyArray<[string, string[], (v: string) => unknown]> = [
  ['REDIS_URL', ['redis', 'url'], (v) => v],
  ['NEWSLOOM_REDIS_PREFIX', ['redis', 'prefix'], (v) => v],
  ['NEWSLOOM_SQLITE', ['storage', 'sqlite'], (v) => v],
  ['NEWSLOOM_DASHBOARD_PORT', ['dashboard', 'port'], (v) => Number(v)],
  ['NEWSLOOM_DASHBOARD_HOST', ['dashboard', 'host'], (v) => v],
  ['NEWSLOOM_API_TOKEN', ['api', 'token'], (v) => v],
  ['NEWSLOOM_LOG_LEVEL', ['log', 'level'], (v) => v],
  ['NEWSLOOM_ALLOW_PRIVATE_NETWORKS', ['fetch', 'allowPrivateNetworks'], (v) => v === 'true' || v === '1'],
];

export function configPathFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.NEWSLOOM_CONFIG || DEFAULT_CONFIG_PATH);
}

/** Reads, overrides from the environment, validates and freezes the config. Throws NL_CONFIG listing every problem. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NewsloomError(`${path}: cannot read config file (${(err as Error).message})`, 'NL_CONFIG', false, { cause: err });
  }
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${path}: ${e.message.split('\n')[0]}`);
    throw new NewsloomError(lines.join('\n'), 'NL_CONFIG', false);
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new NewsloomError(`${path}: expected a mapping of keys at the top level`, 'NL_CONFIG', false);
  }
  return { path, config: parseConfig(applyEnv(raw as Record<string, unknown>, env), path) };
}

/** Validates a plain object as config; errors carry `label` (the file) on every line. */
export function parseConfig(raw: unknown, label: string): Readonly<Config> {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new NewsloomError(formatIssues(result.error.issues, label, raw), 'NL_CONFIG', false);
  }
  return deepFreeze(result.data);
}

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const [name, [section, key], convert] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const current = out[section!];
    const obj = typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : {};
    obj[key!] = convert(value);
    out[section!] = obj;
  }
  return out;
}

function formatIssues(issues: z.core.$ZodIssue[], label: string, raw: unknown): string {
  return issues
    .map((issue) => {
      const key = formatPath(issue.path);
      const found = valueAt(raw, issue.path);
      let msg = issue.message;
      if (issue.code === 'unrecognized_keys') {
        msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      } else if (issue.code === 'invalid_type') {
        msg = `expected ${issue.expected}, got ${found === undefined ? 'nothing' : JSON.stringify(found)}`;
      } else if (!/\bgot\b/.test(msg) && found !== undefined) {
        msg = `${msg.replace(/^Invalid input: /, '')}, got ${JSON.stringify(found)}`;
      }
      return `${label}: ${key || '(top level)'}: ${msg}`;
    })
    .join('\n');
}

function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let cur = raw;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
