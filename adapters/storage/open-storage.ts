import type { Config } from '../../config/schema.js';
import { openPostgresStorage } from './postgres-storage.js';
import { openSqliteStorage } from './sqlite-storage.js';
import type { Storage } from './storage.js';

/** Opens the configured backend, migrated to the current schema. */
export async function openStorage(config: Readonly<Config['storage']>): Promise<Storage> {
  return config.postgres !== undefined ? openPostgresStorage(config.postgres) : openSqliteStorage(config.sqlite);
}
