import type Database from 'better-sqlite3';
import type pg from 'pg';
import { Article } from '../../stages/article.js';
import { articleMentions } from './article-mentions.js';

/**
 * Keeps `article_mentions` in step with an article's stored JSON: `write(article, replace)` puts its
 * rows (after removing the old ones when `replace`). Called inside the upsert's transaction.
 */
export function sqliteMentionWriter(db: Database.Database): (article: Article, replace: boolean) => void {
  const remove = db.prepare('DELETE FROM article_mentions WHERE article_id = ?');
  // created_at copied from the article row, written just before: it never changes on update.
  const insert = db.prepare(`INSERT OR IGNORE INTO article_mentions (article_id, kind, key, created_at)
    SELECT id, ?, ?, created_at FROM articles WHERE id = ?`);
  return (article, replace) => {
    if (replace) remove.run(article.id);
    for (const m of articleMentions(article)) insert.run(m.kind, m.key, article.id);
  };
}

/** The PostgreSQL twin of sqliteMentionWriter: one statement for all of an article's rows. */
export async function writeMentionsPostgres(client: pg.PoolClient, article: Article, replace: boolean): Promise<void> {
  if (replace) await client.query('DELETE FROM article_mentions WHERE article_id = $1', [article.id]);
  const mentions = articleMentions(article);
  if (mentions.length === 0) return;
  await client.query(
    `INSERT INTO article_mentions (article_id, kind, key, created_at)
     SELECT a.id, m.kind, m.key, a.created_at FROM articles a, unnest($2::text[], $3::text[]) AS m (kind, key) WHERE a.id = $1
     ON CONFLICT DO NOTHING`,
    [article.id, mentions.map((m) => m.kind), mentions.map((m) => m.key)]);
}

const BACKFILL_PAGE = 1000;

/**
 * Fills article_mentions for the rows stored before the table existed, inside the migration's
 * transaction: keys are lowercased in JS (article-mentions.ts), which SQL cannot do the same way on
 * both backends.
 */
export function backfillMentionsSqlite(db: Database.Database): void {
  const write = sqliteMentionWriter(db);
  const page = db.prepare<[string, number], { id: string; doc: string }>('SELECT id, doc FROM articles WHERE id > ? ORDER BY id LIMIT ?');
  for (let after = ''; ;) {
    const rows = page.all(after, BACKFILL_PAGE);
    for (const r of rows) write(Article.parse(JSON.parse(r.doc)), false);
    if (rows.length < BACKFILL_PAGE) return;
    after = rows.at(-1)!.id;
  }
}

export async function backfillMentionsPostgres(client: pg.PoolClient): Promise<void> {
  for (let after = ''; ;) {
    const { rows } = await client.query<{ id: string; doc: unknown }>('SELECT id, doc FROM articles WHERE id > $1 ORDER BY id LIMIT $2', [after, BACKFILL_PAGE]);
    for (const r of rows) await writeMentionsPostgres(client, Article.parse(r.doc), false);
    if (rows.length < BACKFILL_PAGE) return;
    after = rows.at(-1)!.id;
  }
}
