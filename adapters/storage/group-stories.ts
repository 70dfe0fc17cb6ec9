import type { StoryRow } from './storage.js';

/** Folds rows of (story, article) ordered by story into StoryRows. */
export function groupStories(rows: Array<{ story_id: string; id: string; url: string; site_name: string | null; duplicate_of: string | null }>): StoryRow[] {
  const out: StoryRow[] = [];
  for (const r of rows) {
    if (out.at(-1)?.storyId !== r.story_id) out.push({ storyId: r.story_id, articles: [] });
    out.at(-1)!.articles.push({ id: r.id, url: r.url, siteName: r.site_name, duplicateOf: r.duplicate_of });
  }
  return out;
}
