import { countryKey, nameKey, siteKey, type Mention } from './article-mentions.js';
import type { ArticleQuery, ListCursor } from './storage.js';

/** Collects bind values in order and answers each one's placeholder: `?` for SQLite, `$n` for PostgreSQL. */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}

/** The article_mentions rows `query` asks for, the likely rarest first: a name before a site before a country. */
function mentionFilters(query: ArticleQuery): Mention[] {
  return [
    ...(query.entity !== undefined ? [{ kind: 'entity' as const, key: nameKey(query.entity) }] : []),
    ...(query.site !== undefined ? [{ kind: 'site' as const, key: siteKey(query.site) }] : []),
    ...(query.country !== undefined ? [{ kind: 'country' as const, key: countryKey(query.country) }] : []),
  ];
}

/** Conditions on the columns of `articles a`, the same text for both backends; only the filters given, so each plan can use its index. */
function columnConditions(query: ArticleQuery, p: Params): string[] {
  const out: string[] = [];
  if (query.feedUrl !== undefined) out.push(`a.feed_url = ${p.add(query.feedUrl)}`);
  if (query.language !== undefined) out.push(`a.language = ${p.add(query.language)}`);
  if (query.since !== undefined) out.push(`a.fetched_at >= ${p.add(query.since)}`);
  if (query.until !== undefined) out.push(`a.fetched_at < ${p.add(query.until)}`);
  if (query.storyId !== undefined) out.push(`a.story_id = ${p.add(query.storyId)}`);
  return out;
}

/** A primary-key probe of article_mentions for row `a`. */
const mentioned = (m: Mention, p: Params) =>
  `EXISTS (SELECT 1 FROM article_mentions x WHERE x.article_id = a.id AND x.kind = ${p.add(m.kind)} AND x.key = ${p.add(m.key)})`;

/** Every condition of `query` on `articles a` (a search's filters: the full-text match drives that plan). */
export function queryConditions(query: ArticleQuery, p: Params): string[] {
  return [...columnConditions(query, p), ...mentionFilters(query).map((m) => mentioned(m, p))];
}

/**
 * A newest-first page of `query` after `cursor`: up to `limit` rows of (doc, created_at, id).
 * Without an enrichment or site filter it walks articles by (created_at, id); with one it walks
 * that value's range of article_mentions_key, which holds created_at, in the same order, so a
 * page costs about `limit` rows whether the value is rare or in half the articles.
 */
export function listArticlesSql(dialect: 'sqlite' | 'postgres', query: ArticleQuery, cursor: ListCursor | null, limit: number): { sql: string; values: unknown[] } {
  const p = new Params(dialect);
  const [drive, ...others] = mentionFilters(query);
  const where: string[] = [];
  let from = 'articles a';
  let order = 'a.created_at DESC, a.id DESC';
  if (drive) {
    from = 'article_mentions m JOIN articles a ON a.id = m.article_id';
    order = 'm.created_at DESC, m.article_id DESC';
    where.push(`m.kind = ${p.add(drive.kind)}`, `m.key = ${p.add(drive.key)}`);
    if (cursor) where.push(`(m.created_at, m.article_id) < (${p.add(cursor.createdAt)}, ${p.add(cursor.id)})`);
  } else if (cursor) {
    where.push(`(a.created_at, a.id) < (${p.add(cursor.createdAt)}, ${p.add(cursor.id)})`);
  }
  where.push(...columnConditions(query, p), ...others.map((m) => mentioned(m, p)));
  const sql = `SELECT a.doc, a.created_at, a.id FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} LIMIT ${p.add(limit)}`;
  return { sql, values: p.values };
}
