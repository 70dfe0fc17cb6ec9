import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStorage } from '../../../adapters/storage/postgres-storage.js';
import { openSqliteStorage } from '../../../adapters/storage/sqlite-storage.js';
import type { Storage } from '../../../adapters/storage/storage.js';
import type { TestPostgres } from '../../helpers/postgres.js';

/** An empty database of one backend: open() may be called again (a reopen, a second process). */
export interface EmptyDatabase {
  open(): Promise<Storage>;
  remove(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  empty(): Promise<EmptyDatabase>;
}

/** SQLite files in a temp dir, one per database. */
export const sqliteBackend: Backend = {
  name: 'sqlite',
  async empty() {
    const dir = mkdtempSync(join(tmpdir(), 'newsloom-sqlite-'));
    const path = join(dir, 'sub', 'newsloom.db');
    return { open: async () => openSqliteStorage(path), remove: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** A fresh database per test on the test PostgreSQL; dropped with the server. */
export function postgresBackend(server: TestPostgres): Backend {
  return {
    name: 'postgres',
    async empty() {
      const url = await server.createDatabase();
      return { open: () => openPostgresStorage(url, { poolSize: 4 }), remove: async () => {} };
    },
  };
}

/** A new empty database of `backend`, opened: what each storage test starts from. */
export async function openEmpty(backend: Backend): Promise<{ db: EmptyDatabase; storage: Storage }> {
  const db = await backend.empty();
  return { db, storage: await db.open() };
}

/** Closes a test's storage (the one it holds last, after any reopen) and removes its database. */
export async function closeAndRemove(db: EmptyDatabase, storage: Storage): Promise<void> {
  await storage.close();
  await db.remove();
}
