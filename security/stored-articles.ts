import { isUtf8 } from 'node:buffer';
import Database from 'better-sqlite3';
import type { PipelineResult } from './pipeline-run.js';

/** Reading back what the pipeline run stored (SQLite), for the content cases. */
export interface StoredArticle {
  url: string;
  title: string;
  doc: { html: string; text: string; title: string; authors: string[]; enrichment: Record<string, { error: string | null }> };
}

export function storedArticles(r: PipelineResult): StoredArticle[] {
  const db = new Database(r.dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT url, title, doc FROM articles').all() as Array<{ url: string; title: string; doc: string }>).map((row) => ({
      url: row.url, title: row.title, doc: JSON.parse(row.doc) as StoredArticle['doc'],
    }));
  } finally {
    db.close();
  }
}

/** Every TEXT value of every table, as the bytes SQLite holds: must be UTF-8, without NUL (PostgreSQL refuses it). */
export function badStoredStrings(r: PipelineResult): string[] {
  const db = new Database(r.dbPath, { readonly: true });
  const bad: string[] = [];
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const table of tables) {
      const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
      for (const col of cols) {
        for (const row of db.prepare(`SELECT CAST(${col} AS BLOB) AS b FROM ${table} WHERE typeof(${col}) = 'text'`).all() as Array<{ b: Buffer }>) {
          if (!isUtf8(row.b)) bad.push(`${table}.${col}: invalid UTF-8 ${row.b.subarray(0, 60).toString('hex')}`);
          else if (row.b.includes(0)) bad.push(`${table}.${col}: NUL in ${JSON.stringify(row.b.toString('utf8').slice(0, 60))}`);
          else {
            // JSON text (the doc column) escapes them: \u0000 and lone surrogates, which PostgreSQL's JSONB refuses.
            const m = /.{0,40}(\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])).{0,20}/i.exec(row.b.toString('utf8'));
            if (m) bad.push(`${table}.${col}: escaped ${m[1]} in JSON: …${m[0]}…`);
          }
        }
      }
    }
  } finally {
    db.close();
  }
  return bad;
}

/** The summary line of a failed fetch/extract job for this page, if any. */
export function failureOf(r: PipelineResult, url: string): string | null {
  return r.stdout.split('\n').find((l) => /^ {2}(fetch|extract|normalise|enrich|store) /.test(l) && l.includes(`${url}:`)) ?? null;
}
