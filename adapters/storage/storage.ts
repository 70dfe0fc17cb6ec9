import type { Article } from '../../stages/article.js';
import type { ArticleEventType, WriteChange } from '../../stages/store/plan-write.js';

export interface OutboxEvent {
  seq: number;
  type: ArticleEventType;
  articleId: string;
  url: string;
  storyId: string;
  duplicateOf: string | null;
  at: string;
}

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

export interface StorageStats {
  articles: number;
  stories: number;
  duplicates: number;
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
export interface Storage {
  readonly info: StorageInfo;
  /** Upserts by id; the event for the change is written to the outbox in the same transaction. */
  upsertArticle(article: Article): Promise<{ change: WriteChange }>;
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
  close(): Promise<void>;
}
