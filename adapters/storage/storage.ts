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

/** Where articles live. Writes are idempotent: the same article twice is one row and one event. */
export interface Storage {
  /** Upserts by id; the event for the change is written to the outbox in the same transaction. */
  upsertArticle(article: Article): { change: WriteChange };
  getArticle(id: string): Article | null;
  /** Earlier versions of an article, oldest first. */
  revisions(id: string): Revision[];
  /** Every story, by the time its first article was stored. */
  stories(): IterableIterator<StoryRow>;
  /**
   * Up to `limit` articles matching `filter` with ids after `afterId` (null: from the start), by id:
   * keyset pagination, so pages stay cheap deep into a large table and rows updated meanwhile are
   * neither skipped nor repeated.
   */
  pageArticles(filter: ArticleFilter, afterId: string | null, limit: number): Article[];
  /** Every article, oldest first, streamed. */
  articles(): IterableIterator<Article>;
  stats(): StorageStats;
  /** Outbox events not yet published, oldest first. */
  pendingEvents(limit: number): OutboxEvent[];
  markPublished(seqs: number[]): void;
  close(): void;
}
