import { Router, type Request, type Response } from 'express';
import type { ArticleQuery, ListCursor, Storage } from '../adapters/storage/storage.js';

export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;

/** A 400 naming the parameter and what was expected. */
class BadParam extends Error {}

interface ListRequest {
  q?: string;
  filter: ArticleQuery;
  limit: number;
  cursor: ListCursor | null;
}

/**
 * `GET /api/articles` and `GET /api/articles/:id`. Without `q`, articles newest first (first
 * stored, then id) with a keyset cursor on (stored time, id): a page never repeats or skips rows,
 * whatever is stored meanwhile. With `q`, the storage's full-text search, best match first, one
 * page only. Every filter is applied by the storage's query, so a page is full whenever there are
 * enough matches.
 */
export function articlesApi(storage: () => Promise<Storage>): Router {
  const router = Router();
  router.get('/api/articles', async (req, res) => {
    let query: ListRequest;
    try {
      query = parseListRequest(req);
    } catch (err) {
      if (err instanceof BadParam) return void res.status(400).json({ error: err.message });
      throw err;
    }
    const db = await storage();
    if (query.q !== undefined) {
      return void res.json({ articles: await db.search(query.q, { limit: query.limit, filter: query.filter }), nextCursor: null });
    }
    const page = await db.listArticles(query.filter, query.cursor, query.limit);
    res.json({ articles: page.articles, nextCursor: page.next ? encodeCursor(page.next) : null });
  });
  router.get('/api/articles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const db = await storage();
    const article = await db.getArticle(req.params.id);
    if (!article) return void res.status(404).json({ error: `no article with id ${req.params.id}` });
    res.json({ ...article, revisions: await db.revisions(article.id) });
  });
  return router;
}

/** Opaque to clients: base64url of a versioned JSON key, so its shape may change with a new `v`. */
export function encodeCursor(at: ListCursor): string {
  return Buffer.from(JSON.stringify({ v: 2, at: at.createdAt, id: at.id })).toString('base64url');
}

function decodeCursor(cursor: string): ListCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; at?: unknown; id?: unknown };
    if (v.v === 2 && typeof v.at === 'string' && v.at !== '' && typeof v.id === 'string' && v.id !== '') return { createdAt: v.at, id: v.id };
  } catch {
    // falls through to the error below
  }
  throw new BadParam('cursor: expected a nextCursor returned by a previous page');
}

function parseListRequest(req: Request): ListRequest {
  const one = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new BadParam(`${name}: expected a single value`);
    return v;
  };
  const text = (name: string, what: string, maxLength = 300): string | undefined => {
    const v = one(name);
    if (v === undefined) return undefined;
    if (v.trim() === '') throw new BadParam(`${name}: expected ${what}, got an empty string`);
    if (v.length > maxLength) throw new BadParam(`${name}: expected ${what} of at most ${maxLength} characters, got ${v.length}`);
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
  const q = text('q', 'words to search for');
  const cursor = one('cursor');
  if (cursor !== undefined && q !== undefined) throw new BadParam('cursor: expected none with q (a search answers one page only; raise limit instead)');
  const language = one('language');
  if (language !== undefined && !/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(language)) {
    throw new BadParam(`language: expected a language code such as "en" or "pt-BR", got "${language}"`);
  }
  const country = one('country');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    throw new BadParam(`country: expected an ISO 3166-1 alpha-2 code such as "FR", got "${country}"`);
  }
  const filter: ArticleQuery = {
    feedUrl: text('feed', 'a feed URL', 2000), site: text('site', 'a host or a site name'), since: instant('since'), until: instant('until'),
    language, entity: text('entity', 'the name of a person, organisation or place'), country: country?.toUpperCase(), storyId: text('story', 'a story id'),
  };
  for (const key of Object.keys(filter) as (keyof ArticleQuery)[]) if (filter[key] === undefined) delete filter[key];
  return { filter, limit, cursor: cursor === undefined ? null : decodeCursor(cursor), ...(q !== undefined ? { q } : {}) };
}
