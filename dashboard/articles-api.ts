import { Router, type Request, type Response } from 'express';
import type { Article } from '../stages/article.js';
import type { ArticleFilter, Storage } from '../adapters/storage/storage.js';

export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;
/** How many rows one storage read fetches when filters the storage cannot apply (until, language) drop some. */
const SCAN_PAGE = 200;
/** Rows one request reads at most before answering a short page. */
const MAX_SCAN = 5000;

/** A 400 naming the parameter and what was expected. */
class BadParam extends Error {}

interface ArticleQuery {
  q?: string;
  feed?: string;
  since?: string;
  until?: string;
  language?: string;
  limit: number;
  afterId: string | null;
}

/**
 * `GET /api/articles` and `GET /api/articles/:id`. Without `q`, articles by id with a keyset
 * cursor (the last id served, base64url): a page never repeats or skips rows, whatever is
 * inserted meanwhile. With `q`, the storage's full-text search, best match first, one page only.
 */
export function articlesApi(storage: () => Promise<Storage>): Router {
  const router = Router();
  router.get('/api/articles', async (req, res) => {
    let query: ArticleQuery;
    try {
      query = parseArticleQuery(req);
    } catch (err) {
      if (err instanceof BadParam) return void res.status(400).json({ error: err.message });
      throw err;
    }
    const db = await storage();
    if (query.q !== undefined) {
      const found = await db.search(query.q, { limit: query.limit, ...(query.since ? { since: query.since } : {}) });
      return void res.json({ articles: found.filter((a) => matches(a, query)), nextCursor: null });
    }
    res.json(await pageOf(db, query));
  });
  router.get('/api/articles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const db = await storage();
    const article = await db.getArticle(req.params.id);
    if (!article) return void res.status(404).json({ error: `no article with id ${req.params.id}` });
    res.json({ ...article, revisions: await db.revisions(article.id) });
  });
  return router;
}

async function pageOf(db: Storage, query: ArticleQuery): Promise<{ articles: Article[]; nextCursor: string | null }> {
  const filter: ArticleFilter = { ...(query.since ? { since: query.since } : {}), ...(query.feed ? { feedUrl: query.feed } : {}) };
  const out: Article[] = [];
  let after = query.afterId;
  let scanned = 0;
  // One more than asked tells whether there is a next page; a selective until/language stops at
  // MAX_SCAN rows read, answering a short page whose cursor resumes after the last row read.
  for (;;) {
    const rows = await db.pageArticles(filter, after, SCAN_PAGE);
    for (const a of rows) {
      after = a.id;
      if (matches(a, query)) out.push(a);
      if (out.length > query.limit) {
        const articles = out.slice(0, query.limit);
        return { articles, nextCursor: encodeCursor(articles[articles.length - 1]!.id) };
      }
    }
    if (rows.length < SCAN_PAGE) return { articles: out, nextCursor: null };
    scanned += rows.length;
    if (scanned >= MAX_SCAN) return { articles: out, nextCursor: encodeCursor(rows[rows.length - 1]!.id) };
  }
}

/** The filters the storage call did not apply. */
function matches(a: Article, q: ArticleQuery): boolean {
  if (q.until && !(a.fetchedAt < q.until)) return false;
  if (q.language && a.language !== q.language) return false;
  if (q.q !== undefined && q.feed && a.feed?.url !== q.feed) return false;
  return true;
}

export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: afterId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (v.v === 1 && typeof v.after === 'string' && v.after !== '') return v.after;
  } catch {
    // falls through to the error below
  }
  throw new BadParam('cursor: expected a nextCursor returned by a previous page');
}

function parseArticleQuery(req: Request): ArticleQuery {
  const one = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new BadParam(`${name}: expected a single value`);
    return v;
  };
  const instant = (name: string): string | undefined => {
    const v = one(name);
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (v === '' || Number.isNaN(t)) throw new BadParam(`${name}: expected an ISO 8601 date or instant, got "${v}"`);
    return new Date(t).toISOString();
  };
  const limitRaw = one('limit');
  let limit = DEFAULT_LIMIT;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > MAX_LIMIT) {
      throw new BadParam(`limit: expected an integer from 1 to ${MAX_LIMIT}, got "${limitRaw}"`);
    }
    limit = Number(limitRaw);
  }
  const q = one('q');
  if (q !== undefined && q.trim() === '') throw new BadParam('q: expected words to search for, got an empty string');
  const cursor = one('cursor');
  if (cursor !== undefined && q !== undefined) throw new BadParam('cursor: expected none with q (a search answers one page only; raise limit instead)');
  const feed = one('feed');
  if (feed !== undefined && feed === '') throw new BadParam('feed: expected a feed URL, got an empty string');
  const language = one('language');
  if (language !== undefined && !/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(language)) {
    throw new BadParam(`language: expected a language code such as "en" or "pt-BR", got "${language}"`);
  }
  const since = instant('since');
  const until = instant('until');
  return {
    limit, afterId: cursor === undefined ? null : decodeCursor(cursor),
    ...(q !== undefined ? { q } : {}), ...(feed ? { feed } : {}), ...(language ? { language } : {}),
    ...(since ? { since } : {}), ...(until ? { until } : {}),
  };
}
