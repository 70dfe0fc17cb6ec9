import type { StoryRow } from './storage.js';

/** Stories read per page by both backends. */
export const STORY_PAGE = 200;

/** One (story, article) row of a story page: `first` is when the story's first article was stored. */
export type StoryPageRow = { first: string; story_id: string; id: string; url: string; site_name: string | null; duplicate_of: string | null };

/** Folds rows of (story, article) ordered by story into StoryRows. */
function groupStories(rows: ReadonlyArray<Omit<StoryPageRow, 'first'>>): StoryRow[] {
  const out: StoryRow[] = [];
  for (const r of rows) {
    if (out.at(-1)?.storyId !== r.story_id) out.push({ storyId: r.story_id, articles: [] });
    out.at(-1)!.articles.push({ id: r.id, url: r.url, siteName: r.site_name, duplicateOf: r.duplicate_of });
  }
  return out;
}

/**
 * Every story, page after page: `next(first, storyId)` gives the rows of up to STORY_PAGE whole
 * stories after that key ('' and '' for the first page). A page is whole stories, so it may hold
 * more rows than stories: reading stops on an empty page, not a short one.
 */
export async function* readStories(next: (first: string, storyId: string) => Promise<StoryPageRow[]>): AsyncGenerator<StoryRow> {
  let last: StoryPageRow | null = null;
  for (;;) {
    const rows = await next(last?.first ?? '', last?.story_id ?? '');
    if (rows.length === 0) return;
    yield* groupStories(rows);
    last = rows.at(-1)!;
  }
}
