import type pg from 'pg';
import { NewsloomError } from '../../lib/errors.js';
import { inTransaction } from './pg-transaction.js';
import { backfillMentionsPostgres } from './mention-writers.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';
import { MENTIONS_VERSION } from './sqlite-migrations.js';

// Any constant: pg_advisory_xact_lock serialises newsloom processes migrating one database at once.
const MIGRATION_LOCK = 0x6e65_7773;

/**
 * Runs the migrations not yet run, in one transaction (PostgreSQL DDL is transactional) under an
 * advisory lock, so processes starting together run each version once. `schema_migrations` holds
 * one row per version run, as SQLite's user_version counts them.
 */
export async function migratePostgres(pool: pg.Pool): Promise<{ migratedFrom: number; schemaVersion: number }> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > PG_MIGRATIONS.length) {
      throw new NewsloomError(`PostgreSQL schema version ${from} is newer than this newsloom knows (${PG_MIGRATIONS.length}); upgrade newsloom`, 'NL_STORAGE_SCHEMA', false);
    }
    for (let v = from; v < PG_MIGRATIONS.length; v++) {
      await client.query(PG_MIGRATIONS[v]!);
      if (v + 1 === MENTIONS_VERSION) await backfillMentionsPostgres(client);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, new Date().toISOString()]);
    }
    return { migratedFrom: from, schemaVersion: PG_MIGRATIONS.length };
  });
}
