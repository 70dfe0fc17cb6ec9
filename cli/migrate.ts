import { openStorage } from '../adapters/storage/open-storage.js';
import { loadCliConfig, parseCommand } from './common.js';

/**
 * `newsloom migrate`: brings the configured database (SQLite or PostgreSQL) to the current schema
 * version, as every start does, and prints what it did. Safe to run again, and alongside running workers.
 */
export async function runMigrate(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, {}, 'migrate');
  const { config } = loadCliConfig(values.config);
  const storage = await openStorage(config.storage);
  try {
    const { backend, location, migratedFrom, schemaVersion } = storage.info;
    const what = migratedFrom === schemaVersion ? 'already at' : `migrated from version ${migratedFrom} to`;
    process.stdout.write(`${backend} ${location}: ${what} schema version ${schemaVersion}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}
