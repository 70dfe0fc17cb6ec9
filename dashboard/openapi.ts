import { MAX_LIMIT } from './articles-api.js';
import { STORY_ARTICLES_MAX } from './stories-api.js';

const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const unauthorized = { 401: { $ref: '#/components/responses/Unauthorized' } };
const noStorage = { 503: error('The dashboard has no storage') };
const count = { type: 'integer', minimum: 0 };

/** The OpenAPI 3.1 description of the dashboard's JSON API, served at /api/openapi.json. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'newsloom API', version: '1.1.0',
    description: 'Stored articles, stories, counts, feed state and health, on the dashboard port. When `api.token` is set, every ' +
      'route but /healthz and /readyz asks for it: `Authorization: Bearer <token>`, or the session cookie set by the form at /login.',
  },
  // Either scheme; they only apply when api.token is set.
  security: [{ bearerAuth: [] }, { sessionCookie: [] }],
  paths: {
    '/healthz': {
      get: { summary: 'The process is up', security: [], responses: { 200: json({ type: 'object', properties: { status: { const: 'ok' } } }, 'Up') } },
    },
    '/readyz': {
      get: {
        summary: 'Redis answers PING, storage is reachable, and every stage worker of this process is running',
        security: [],
        responses: {
          200: json({ $ref: '#/components/schemas/Readiness' }, 'Ready'),
          503: json({ $ref: '#/components/schemas/Readiness' }, 'Not ready: `redis`, `storage` and `workers` say which failed and why'),
        },
      },
    },
    '/api/feeds': {
      get: { summary: 'Per-feed polling state', responses: { 200: json({ type: 'array', items: { type: 'object' } }, 'One entry per feed'), ...unauthorized } },
    },
    '/api/articles': {
      get: {
        summary: 'List or search stored articles',
        description: 'Without `q`: articles newest first (by when they were first stored, then id), paged with `cursor`: keyset ' +
          'pagination on (stored time, id), so a page never repeats or skips rows, whatever is stored or updated meanwhile (articles ' +
          'stored after the first page are not in later pages: start again for them). Filters combine (all must hold) and are applied ' +
          'by the database, so every page but the last holds `limit` articles. With `q`: full-text search, best match first, the same ' +
          'filters, one page only: `nextCursor` is always null and `cursor` is rejected; raise `limit` for more results.',
        parameters: [
          query('q', 'Words that must all appear in the title or text (stemmed in the article\'s language where the backend can)'),
          query('feed', 'Only articles from this feed URL, exactly as configured'),
          query('site', 'Only articles from this site: the host of the canonical URL ("www." ignored, e.g. `example.com`) or the site name ' +
            '(e.g. `Example News`), case-insensitive, whole value'),
          query('since', 'Only articles fetched at or after this instant', { type: 'string', format: 'date-time' }),
          query('until', 'Only articles fetched before this instant', { type: 'string', format: 'date-time' }),
          query('language', 'Only articles in this language (e.g. en, pt-BR), exactly'),
          query('entity', 'Only articles whose enrichment names this person, organisation or place (`entities.people`, ' +
            '`.organizations`, `.places`): the whole name, case-insensitive (e.g. `keir starmer`)'),
          query('country', 'Only articles mentioning a place in this country (ISO 3166-1 alpha-2, any case), as the places stage resolved it',
            { type: 'string', pattern: '^[A-Za-z]{2}$' }),
          query('story', 'Only articles of this story (`storyId`)'),
          query('limit', `Page size, 1 to ${MAX_LIMIT}`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 }),
          query('cursor', 'Opaque: the nextCursor of the previous page, with the same filters (not with q)'),
        ],
        responses: {
          200: json({
            type: 'object', required: ['articles', 'nextCursor'],
            properties: {
              articles: { type: 'array', items: { $ref: '#/components/schemas/Article' } },
              nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page' },
            },
          }, 'A page of articles'),
          400: error('A parameter is invalid: `error` names it and says what was expected'),
          ...unauthorized,
          ...noStorage,
        },
      },
    },
    '/api/articles/{id}': {
      get: {
        summary: 'One article with its earlier revisions',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: json({ allOf: [{ $ref: '#/components/schemas/Article' }, {
            type: 'object', required: ['revisions'], properties: { revisions: { type: 'array', items: { $ref: '#/components/schemas/Revision' } } },
          }] }, 'The article; `revisions` oldest first'),
          404: error('No article with this id'),
          ...unauthorized,
          ...noStorage,
        },
      },
    },
    '/api/stories/{id}': {
      get: {
        summary: 'One story: the articles filed under it, the first one stored first',
        parameters: [{ name: 'id', in: 'path', required: true, description: 'A `storyId`: the id of the story\'s first article', schema: { type: 'string' } }],
        responses: {
          200: json({
            type: 'object', required: ['storyId', 'articleCount', 'articles'],
            properties: {
              storyId: { type: 'string' },
              articleCount: { ...count, description: 'Articles in the story' },
              articles: { type: 'array', maxItems: STORY_ARTICLES_MAX, items: { $ref: '#/components/schemas/Article' },
                description: `The first ${STORY_ARTICLES_MAX} at most; later ones are near-duplicates (duplicateOf) or updates of the same story` },
            },
          }, 'The story'),
          404: error('No article has this storyId'),
          ...unauthorized,
          ...noStorage,
        },
      },
    },
    '/api/stats': {
      get: {
        summary: 'Counts of stored articles',
        responses: {
          200: json({
            type: 'object', required: ['at', 'articles', 'stories', 'duplicates', 'storedLastHour', 'storedLastDay', 'languages', 'feeds', 'ledger'],
            properties: {
              at: { type: 'string', format: 'date-time', description: 'When the counts were taken' },
              articles: count, stories: count,
              duplicates: { ...count, description: 'Articles that are near-duplicates of an earlier one (duplicateOf set)' },
              storedLastHour: { ...count, description: 'Articles first stored in the last hour' },
              storedLastDay: { ...count, description: 'Articles first stored in the last 24 hours' },
              languages: { type: 'array', description: 'Articles per language, most first',
                items: { type: 'object', required: ['language', 'articles'], properties: { language: { type: ['string', 'null'] }, articles: count } } },
              feeds: { type: 'array', description: 'Articles per feed URL, most first',
                items: { type: 'object', required: ['feedUrl', 'articles'], properties: { feedUrl: { type: ['string', 'null'] }, articles: count } } },
              ledger: {
                type: 'object', additionalProperties: false, required: ['pending', 'stored', 'skipped', 'failed', 'oldestPendingAt'],
                description: 'Items feed polls accepted, by state: pending (accepted, not yet stored), stored, skipped (not an article), failed (with a reason)',
                properties: {
                  pending: count, stored: count, skipped: count, failed: count,
                  oldestPendingAt: { type: ['string', 'null'], format: 'date-time', description: 'When the pending item waiting longest was accepted or last enqueued again' },
                },
              },
            },
          }, 'The counts'),
          ...unauthorized,
          ...noStorage,
        },
      },
    },
    '/api/openapi.json': {
      get: { summary: 'This document', responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1'), ...unauthorized } },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'The `api.token` of the config' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'newsloom_session', description: 'Set by POST /login (form field `token`), for browsers' },
    },
    responses: {
      Unauthorized: {
        description: '`api.token` is set and the request has neither `Authorization: Bearer <token>` nor the session cookie',
        headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="newsloom"' } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
    schemas: {
      Article: { $ref: 'urn:newsloom:schema:article:1', description: 'contracts/article.schema.json' },
      Revision: {
        type: 'object', required: ['revision', 'contentHash', 'title', 'article', 'storedAt', 'replacedAt'],
        properties: {
          revision: { type: 'integer' }, contentHash: { type: 'string' }, title: { type: 'string' },
          article: { $ref: '#/components/schemas/Article' },
          storedAt: { type: 'string', format: 'date-time' }, replacedAt: { type: 'string', format: 'date-time' },
        },
      },
      Readiness: {
        type: 'object', required: ['status', 'redis', 'storage', 'workers'],
        properties: { status: { enum: ['ok', 'unavailable'] }, redis: { type: 'string' }, storage: { type: 'string' }, workers: { type: 'string' } },
      },
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
  },
} as const;
