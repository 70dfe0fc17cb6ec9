// The article table the pipeline writes, read by the bench while it runs: a read-only SQLite
// handle (WAL lets it read beside the writer) or a one-connection pg pool.
import Database from 'better-sqlite3';
import pg from 'pg';

export interface StoredCounter {
  count(): Promise<number>;
  rows(): Promise<Array<{ url: string; createdAt: string }>>;
  close(): Promise<void>;
}

/** Reads the article table the pipeline writes: a read-only SQLite handle (WAL) or a pg pool. */
export function storedCounter(kind: 'sqlite' | 'postgres', sqlitePath: string, pgUrl: string | null): StoredCounter {
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: pgUrl!, max: 1 });
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await pool.query<T>(sql).catch(() => ({ rows: [] as T[] }))).rows;
    return {
      count: async () => Number((await q<{ n: string }>('SELECT count(*) AS n FROM articles'))[0]?.n ?? 0),
      rows: async () => (await q<{ url: string; created_at: string }>('SELECT url, created_at FROM articles')).map((r) => ({ url: r.url, createdAt: r.created_at })),
      close: () => pool.end(),
    };
  }
  let db: Database.Database | null = null;
  const open = () => {
    try {
      db ??= new Database(sqlitePath, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 2000');
    } catch {
      db = null;
    }
    return db;
  };
  const query = <T>(sql: string, fallback: T): T => {
    try {
      return (open()?.prepare(sql).all() as T | undefined) ?? fallback;
    } catch {
      return fallback;
    }
  };
  return {
    count: async () => Number(query<Array<{ n: number }>>('SELECT count(*) AS n FROM articles', [])[0]?.n ?? 0),
    rows: async () => query<Array<{ url: string; created_at: string }>>('SELECT url, created_at FROM articles', []).map((r) => ({ url: r.url, createdAt: r.created_at })),
    close: async () => void db?.close(),
  };
}
