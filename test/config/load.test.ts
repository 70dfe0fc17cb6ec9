import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'newsloom-config-'));
function writeConfig(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

describe('loadConfig', () => {
  it('fills every default from an empty file', () => {
    const { config } = loadConfig(writeConfig('empty.yaml', ''), {});
    expect(config.redis.prefix).toBe('newsloom');
    expect(config.dashboard.port).toBe(3000);
    expect(config.poll.interval).toBe(15 * 60_000);
    expect(config.fetch.allowPrivateNetworks).toBe(false);
    expect(config.feeds).toEqual([]);
  });

  it('parses durations and keeps per-feed intervals', () => {
    const path = writeConfig('feeds.yaml', 'feeds:\n  - url: https://a.example/rss\n    interval: 30s\n  - url: https://b.example/atom\n');
    const { config } = loadConfig(path, {});
    expect(config.feeds[0]!.interval).toBe(30_000);
    expect(config.feeds[1]!.interval).toBeUndefined();
  });

  it('names the file, the key path and what was expected for every problem', () => {
    const path = writeConfig('bad.yaml', [
      'redis:', '  url: localhost', 'feeds:', '  - url: https://a.example/rss', '  - url: https://b.example/rss',
      '  - url: https://c.example/rss', '    interval: soon', 'dashboard:', '  port: "x"',
    ].join('\n'));
    let message = '';
    try {
      loadConfig(path, {});
    } catch (err) {
      message = (err as Error).message;
      expect((err as { code?: string }).code).toBe('NL_CONFIG');
    }
    expect(message).toContain(`${path}: feeds[2].interval: expected a duration like "15m", got "soon"`);
    expect(message).toContain(`${path}: redis.url: expected redis:// or rediss:// URL, got "localhost"`);
    expect(message).toContain(`${path}: dashboard.port: expected number, got "x"`);
  });

  it('rejects unknown keys by name', () => {
    const path = writeConfig('typo.yaml', 'fetch:\n  userAgnet: x\n');
    expect(() => loadConfig(path, {})).toThrow(/fetch: unknown key "userAgnet"/);
  });

  it('reports YAML syntax errors with the file name', () => {
    const path = writeConfig('syntax.yaml', 'feeds: [\n');
    expect(() => loadConfig(path, {})).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });

  it('lets environment variables override the file', () => {
    const path = writeConfig('env.yaml', 'redis:\n  url: redis://10.0.0.1:6379\n');
    const { config } = loadConfig(path, { REDIS_URL: 'redis://127.0.0.1:7777', NEWSLOOM_DASHBOARD_PORT: '4000' });
    expect(config.redis.url).toBe('redis://127.0.0.1:7777');
    expect(config.dashboard.port).toBe(4000);
  });

  it('freezes the result', () => {
    const { config } = loadConfig(writeConfig('frozen.yaml', ''), {});
    expect(Object.isFrozen(config.fetch)).toBe(true);
  });

  it('names a missing file', () => {
    expect(() => loadConfig(join(dir, 'nope.yaml'), {})).toThrow(/nope\.yaml: cannot read config file/);
  });
});

describe('the shipped example config', () => {
  const example = readFileSync(new URL('../../config/newsloom.yaml', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const keys = schemaKeys(configSchema.shape, '');

  it('is valid', () => {
    expect(() => loadConfig(new URL('../../config/newsloom.yaml', import.meta.url).pathname, {})).not.toThrow();
  });

  it.each(keys)('documents %s in the example YAML and the README', (key) => {
    const last = key.split('.').pop()!;
    expect(example).toMatch(new RegExp(`^\\s*(- )?#? ?${last}:`, 'm'));
    expect(readme).toContain(`\`${key}\``);
  });
});

function schemaKeys(shape: Record<string, unknown>, prefix: string): string[] {
  const out: string[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push(path);
    const inner = unwrap(schema);
    if (inner && typeof inner === 'object' && 'shape' in inner && path !== 'feeds') {
      out.push(...schemaKeys((inner as { shape: Record<string, unknown> }).shape, path));
    }
  }
  return out;
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { innerType?: unknown; in?: unknown; type?: string } } | undefined;
  for (let i = 0; i < 5 && s?.def && (s.def.innerType || s.def.in); i++) s = (s.def.innerType ?? s.def.in) as typeof s;
  return s;
}
