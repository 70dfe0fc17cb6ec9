import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// CONVENTIONS.md: stages are pure; the outside world comes in through small interface arguments.
const FORBIDDEN = [
  { what: 'bullmq', re: /from ['"]bullmq['"]/ },
  { what: 'ioredis', re: /from ['"]ioredis['"]/ },
  { what: 'adapters/', re: /from ['"][./]*\/adapters\// },
  { what: 'workers/', re: /from ['"][./]*\/workers\// },
  { what: 'process.env', re: /process\.env/ },
];

describe('module boundaries', () => {
  const files = tsFiles(join(root, 'stages'));

  it('finds the stage sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('keeps stages/ free of bullmq, ioredis, adapters/, workers/ and process.env', () => {
    const violations = files.flatMap((file) => {
      const src = readFileSync(file, 'utf8');
      return FORBIDDEN.filter((f) => f.re.test(src)).map((f) => `${relative(root, file)} uses ${f.what}`);
    });
    expect(violations).toEqual([]);
  });

  it('has no default exports in the project sources', () => {
    const dirs = ['stages', 'workers', 'queues', 'adapters', 'config', 'cli', 'lib', 'dashboard'];
    const offenders = dirs.flatMap((d) => tsFiles(join(root, d))).filter((f) => /^export default /m.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
