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

export interface StorageStats {
  articles: number;
  stories: number;
  duplicates: number;
}

/** Where articles live. Writes are idempotent: the same article twice is one row and one event. */
export interface Storage {
  /** Upserts by id; the event for the change is written to the outbox in the same transaction. */
  upsertArticle(article: Article): { change: WriteChange };
  getArticle(id: string): Article | null;
  /** Every article, oldest first, streamed. */
  articles(): IterableIterator<Article>;
  stats(): StorageStats;
  /** Outbox events not yet published, oldest first. */
  pendingEvents(limit: number): OutboxEvent[];
  markPublished(seqs: number[]): void;
  close(): void;
}
