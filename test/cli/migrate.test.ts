import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestPostgresOrSkip } from '../helpers/postgres.js';
import { MIGRATIONS } from '../../adapters/storage/sqlite-migrations.js';
import { PG_MIGRATIONS } from '../../adapters/storage/postgres-migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'newsloom-migrate-'));
const postgres = await startTestPostgresOrSkip();
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function config(name: string, storage: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `storage:\n${storage}`);
  return path;
}

describe('newsloom migrate', () => {
  it('creates and migrates a SQLite database, then finds nothing to do', async () => {
    const path = config('sqlite', `  sqlite: ${join(dir, 'db', 'newsloom.db')}\n`);
    const first = await runCli(['migrate', '--config', path]);
    expect(first).toMatchObject({ code: 0, stdout: `sqlite ${join(dir, 'db', 'newsloom.db')}: migrated from version 0 to schema version ${MIGRATIONS.length}\n` });
    const again = await runCli(['migrate', '--config', path]);
    expect(again.stdout).toBe(`sqlite ${join(dir, 'db', 'newsloom.db')}: already at schema version ${MIGRATIONS.length}\n`);
  });

  it.skipIf(!postgres)('migrates a PostgreSQL database named by storage.postgres', async () => {
    const url = await postgres!.createDatabase();
    const path = config('postgres', `  postgres: ${url}\n`);
    const first = await runCli(['migrate', '--config', path]);
    expect(first).toMatchObject({ code: 0, stdout: `postgres ${url}: migrated from version 0 to schema version ${PG_MIGRATIONS.length}\n` });
    expect((await runCli(['migrate', '--config', path])).stdout).toBe(`postgres ${url}: already at schema version ${PG_MIGRATIONS.length}\n`);
  });

  it('refuses storage.sqlite and storage.postgres together, naming the file and key', async () => {
    const path = config('both', '  sqlite: ./x.db\n  postgres: postgres://u:pw@127.0.0.1/db\n');
    const r = await runCli(['migrate', '--config', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`newsloom: ${path}: storage.postgres: expected either storage.sqlite or storage.postgres, not both; got both\n`);
  });

  it('names a storage.postgres that is not a PostgreSQL URL, without its password', async () => {
    const path = config('bad', '  postgres: mysql://u:pw@127.0.0.1/db\n');
    const r = await runCli(['migrate', '--config', path]);
    expect(r.stderr).toBe(`newsloom: ${path}: storage.postgres: expected a postgres:// or postgresql:// URL, got "mysql://u:***@127.0.0.1/db"\n`);
  });
});
