import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../shared/contracts/article.schema.json', import.meta.url).pathname;

describe('contracts/article.schema.json', () => {
  it.skipIf(!existsSync(shared))('is the same contract as ../shared/contracts (skipped: ../shared absent)', () => {
    const ours = readFileSync(new URL('../contracts/article.schema.json', import.meta.url), 'utf8');
    expect(JSON.parse(ours)).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });
});
