import type { Article } from '../../stages/article.js';
import type { ArticleEventType, WriteChange } from '../../stages/store/plan-write.js';
import type { ItemLedger } from './ledger.js';

/** Every event type announced on the stream and to webhooks (README "Events out"). */
export const EVENT_TYPES = ['article.created', 'article.updated', 'article.duplicate', 'feed.failing', 'feed.recovered'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A stored article changed: written with the article, in the same transaction. */
export interface ArticleEventBody {
  type: ArticleEventType;
  articleId: string;
  url: string;
  storyId: string;
  duplicateOf: string | null;
  at: string;
}

/** A feed's polls started failing (events.feedFailingAfter tries in a row) or succeeded again. */
export interface FeedEventBody {
  type: 'feed.failing' | 'feed.recovered';
  feedUrl: string;
  feedName: string | null;
  /** feed.failing: the last poll's error ("CODE: message"); feed.recovered: null. */
  error: string | null;
  /** Failed tries in a row: when it started failing, or before it recovered. */
  consecutiveFailures: number;
  at: string;
}

export type EventBody = ArticleEventBody | FeedEventBody;

/** An event as the outbox holds it: `seq` orders every event and is its id outside (`Newsloom-Delivery`). */
export type OutboxEvent = EventBody & { seq: number };

/** An earlier version of an article, kept when its text or title changed. */
export interface Revision {
  revision: number;
  contentHash: string;
  title: string;
  article: Article;
  /** When this version was stored, and when a newer one replaced it. */
  storedAt: string;
  replacedAt: string;
}

/** A story: every article filed under one storyId, the first one first. */
export interface StoryRow {
  storyId: string;
  articles: Array<{ id: string; url: string; siteName: string | null; duplicateOf: string | null }>;
}

/** Counts for GET /api/stats, each from an index or one pass over a small column. */
export interface StorageStats {
  articles: number;
  stories: number;
  duplicates: number;
  /** Articles first stored in the last hour and the last 24 hours. */
  storedLastHour: number;
  storedLastDay: number;
  /** Articles per language and per feed, most first. */
  languages: Array<{ language: string | null; articles: number }>;
  feeds: Array<{ feedUrl: string | null; articles: number }>;
}

/**
 * Which articles GET /api/articles lists or searches; every condition given must hold. Values are
 * as the user gave them: the backend normalises names (article-mentions.ts).
 */
export interface ArticleQuery {
  feedUrl?: string;
  /** The host of the canonical URL or the site name, case-insensitive, "www." ignored. */
  site?: string;
  /** fetchedAt at or after / before these ISO instants. */
  since?: string;
  until?: string;
  /** Exactly this language code. */
  language?: string;
  /** A person, organisation or place the enrichment found, by name, case-insensitive. */
  entity?: string;
  /** ISO 3166-1 alpha-2 code of a place the places stage resolved. */
  country?: string;
  storyId?: string;
}

/** Where a newest-first page resumes: after the article first stored at `createdAt` with this id. */
export interface ListCursor {
  createdAt: string;
  id: string;
}

/** Which stored articles to page through (`newsloom reprocess`); every condition given must hold. */
export interface ArticleFilter {
  /** fetchedAt at or after this ISO instant. */
  since?: string;
  feedUrl?: string;
  /** Only articles whose enrichment.<name>.version is not `version` (or missing); every article when version is undefined. */
  staleStage?: { name: string; version: string | undefined };
}

/** Options of a full-text search. */
export interface SearchOptions {
  limit: number;
  /** Only articles published (else fetched) at or after this ISO instant. */
  since?: string;
  /** Only articles matching this too (the API's filters), applied in the query so `limit` rows come back when there are. */
  filter?: ArticleQuery;
}

/** Which backend, and the schema version before and after the migrations run on open. */
export interface StorageInfo {
  backend: 'sqlite' | 'postgres';
  /** The file, or the PostgreSQL URL without its password. */
  location: string;
  migratedFrom: number;
  schemaVersion: number;
}

/**
 * Where articles live: SQLite (sqlite-storage.ts) or PostgreSQL (postgres-storage.ts), same
 * schema versions and same behaviour (test/adapters/storage/storage-suite.ts runs on both).
 * Writes are idempotent: the same article twice is one row and one event.
 */
export interface Storage extends ItemLedger {
  readonly info: StorageInfo;
  /**
   * Upserts by id; the event for the change is written to the outbox in the same transaction, and
   * so is the `stored` state of the accepted item `itemKey` (ledger.ts), whatever the change.
   */
  upsertArticle(article: Article, opts?: { itemKey?: string }): Promise<{ change: WriteChange }>;
  getArticle(id: string): Promise<Article | null>;
  /** Earlier versions of an article, oldest first. */
  revisions(id: string): Promise<Revision[]>;
  /** Every story, by the time its first article was stored; read in pages. */
  stories(): AsyncIterable<StoryRow>;
  /**
   * Up to `limit` articles matching `filter` with ids after `afterId` (null: from the start), by id:
   * keyset pagination, so pages stay cheap deep into a large table and rows updated meanwhile are
   * neither skipped nor repeated.
   */
  pageArticles(filter: ArticleFilter, afterId: string | null, limit: number): Promise<Article[]>;
  /**
   * Up to `limit` articles matching `query`, newest first (first stored, then id, descending),
   * after `cursor` (null: from the newest): keyset pagination on (created_at, id), so articles
   * stored meanwhile land before the first page and updates move nothing. `next` resumes after
   * the last one; null when there is no more.
   */
  listArticles(query: ArticleQuery, cursor: ListCursor | null, limit: number): Promise<{ articles: Article[]; next: ListCursor | null }>;
  /** The first `limit` articles of a story, the first one stored first, and how many it has. */
  storyArticles(storyId: string, limit: number): Promise<{ total: number; articles: Article[] }>;
  /** Every article, oldest first, read in pages. */
  articles(): AsyncIterable<Article>;
  /**
   * Articles whose title or text hold every word of `query`, best match first (a title match
   * weighs more than one in the text). Words are stemmed in the article's language where the
   * backend can; punctuation and operators in `query` are ignored; no word, no result.
   */
  search(query: string, opts: SearchOptions): Promise<Article[]>;
  /**
   * Removes the articles first stored before `cutoff` (an ISO instant), with their revisions, in
   * transactions of `batchSize` articles, yielding between them so writers are never held up for
   * long; answers how many were removed.
   */
  removeStoredBefore(cutoff: string, opts?: { batchSize?: number }): Promise<number>;
  stats(): Promise<StorageStats>;
  /** Outbox events not yet published, oldest first. */
  pendingEvents(limit: number): Promise<OutboxEvent[]>;
  markPublished(seqs: number[]): Promise<void>;
  /**
   * Records that a feed started failing or recovered, with its outbox event, in one transaction;
   * null when the feed is already in that state (another worker announced it): so each
   * transition is announced once however many workers see it.
   */
  recordFeedEvent(event: FeedEventBody): Promise<OutboxEvent | null>;
  /**
   * Up to `limit` stored events with seq after `afterSeq`, oldest first, published or not
   * (webhook delivery, `newsloom replay`); only those written at or after `since` when given.
   */
  eventsAfter(afterSeq: number, limit: number, opts?: { since?: string }): Promise<OutboxEvent[]>;
  /** The seq of the newest stored event; 0 when there is none. */
  lastEventSeq(): Promise<number>;
  close(): Promise<void>;
}
