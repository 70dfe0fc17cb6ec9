import { MAX_LIMIT } from './articles-api.js';

const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });

/** The OpenAPI 3.1 description of the dashboard's JSON API, served at /api/openapi.json. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'newsloom API', version: '1.0.0', description: 'Stored articles, feed state and health, on the dashboard port.' },
  paths: {
    '/healthz': {
      get: { summary: 'The process is up', responses: { 200: json({ type: 'object', properties: { status: { const: 'ok' } } }, 'Up') } },
    },
    '/readyz': {
      get: {
        summary: 'Redis answers PING and storage is reachable',
        responses: {
          200: json({ $ref: '#/components/schemas/Readiness' }, 'Ready'),
          503: json({ $ref: '#/components/schemas/Readiness' }, 'Not ready: `redis` and `storage` say which failed and why'),
        },
      },
    },
    '/api/feeds': {
      get: { summary: 'Per-feed polling state', responses: { 200: json({ type: 'array', items: { type: 'object' } }, 'One entry per feed') } },
    },
    '/api/articles': {
      get: {
        summary: 'List or search stored articles',
        description: 'Without `q`: articles by id, paged with `cursor` (keyset pagination: a page never repeats or skips ' +
          'rows, whatever is inserted meanwhile). With `until` or `language`, a page may hold fewer than `limit` articles ' +
          '(each request reads at most 5,000 rows): keep following `nextCursor` until it is null. With `q`: full-text search, best match first, one page only: ' +
          '`nextCursor` is always null and `cursor` is rejected; raise `limit` for more results.',
        parameters: [
          query('q', 'Words that must all appear in the title or text'),
          query('feed', 'Only articles from this feed URL'),
          query('since', 'Only articles fetched at or after this instant (with q: published, else fetched)', { type: 'string', format: 'date-time' }),
          query('until', 'Only articles fetched before this instant', { type: 'string', format: 'date-time' }),
          query('language', 'Only articles in this language (e.g. en, pt-BR)'),
          query('limit', `Page size, 1 to ${MAX_LIMIT}`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 }),
          query('cursor', 'Opaque: the nextCursor of the previous page (not with q)'),
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
          503: error('The dashboard has no storage'),
        },
      },
    },
    '/api/articles/{id}': {
      get: {
        summary: 'One article with its earlier revisions',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: json({ allOf: [{ $ref: '#/components/schemas/Article' }, {
            type: 'object', properties: { revisions: { type: 'array', items: { $ref: '#/components/schemas/Revision' } } },
          }] }, 'The article; `revisions` oldest first'),
          404: error('No article with this id'),
        },
      },
    },
    '/api/openapi.json': {
      get: { summary: 'This document', responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1') } },
    },
  },
  components: {
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
        type: 'object', required: ['status', 'redis', 'storage'],
        properties: { status: { enum: ['ok', 'unavailable'] }, redis: { type: 'string' }, storage: { type: 'string' } },
      },
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
  },
} as const;
