// What the bench site serves, decided up front from a seeded PRNG so every run (and both processes
// of the site) see the same pages: FEEDS feeds of PER_FEED items each, every feed on its own feed
// host (127.0.1.x, like rss.example.com) and its articles on their own article host (127.0.0.x).
// Most items are articles; a few are exact duplicates (the same bytes under a second URL), syndicated
// copies (another site's story in this site's page), 404s, 500s and malformed HTML.
import { seededRandom } from '../../lib/seeded-random.js';

export type ItemKind = 'article' | 'duplicate' | 'syndicated' | 'not-found' | 'server-error' | 'malformed';

export interface PlannedItem {
  /** Global index: feed × perFeed + position in the feed. */
  id: number;
  feed: number;
  kind: ItemKind;
  /** Page path on the feed's article host. */
  path: string;
  title: string;
  /** The item whose story (and for a duplicate, whose exact page) this one carries. */
  storyOf: number;
  /** Size class of the page in bytes: decides the story's length (under 8 KB: a short story). */
  bytes: number;
  /** Size the page is padded to with boilerplate: `bytes` × the site's page scale. */
  padTo: number;
}

export interface SitePlan {
  feeds: number;
  perFeed: number;
  items: PlannedItem[];
}

const SECTIONS = ['world', 'politics', 'business', 'science', 'health', 'sport', 'culture', 'local'];

/** Shares of the non-article kinds; the rest are articles. */
const SHARES: Array<[ItemKind, number]> = [['not-found', 0.02], ['server-error', 0.01], ['malformed', 0.01], ['duplicate', 0.03], ['syndicated', 0.05]];

/**
 * `pageScale` shrinks (or grows) every page's boilerplate padding and keeps the stories: the chaos
 * run uses 0.1 so that extraction CPU does not stretch its 10,000 items past 15 minutes.
 */
export function planSite(feeds: number, perFeed: number, seed = 42, pageScale = 1): SitePlan {
  const rnd = seededRandom(seed);
  const items: PlannedItem[] = [];
  for (let feed = 0; feed < feeds; feed++) {
    for (let k = 0; k < perFeed; k++) {
      const id = feed * perFeed + k;
      let r = rnd();
      let kind: ItemKind = 'article';
      for (const [name, share] of SHARES) {
        if (r < share) {
          kind = name;
          break;
        }
        r -= share;
      }
      // A duplicate copies an earlier article of its own feed; a syndicated copy, an article of another feed.
      const earlier = items.filter((i) => i.feed === feed && i.kind === 'article');
      if (kind === 'duplicate' && earlier.length === 0) kind = 'article';
      if (kind === 'syndicated' && (feeds < 2 || id < perFeed)) kind = 'article';
      let storyOf = id;
      if (kind === 'duplicate') storyOf = earlier[Math.floor(rnd() * earlier.length)]!.id;
      if (kind === 'syndicated') {
        const other = Math.floor(rnd() * feed);
        storyOf = other * perFeed + Math.floor(rnd() * perFeed);
      }
      // Page sizes: one in ten short (2–8 KB), the rest 20–200 KB, as news pages go with their boilerplate.
      const bytes = rnd() < 0.1 ? 2_000 + Math.floor(rnd() * 6_000) : 20_000 + Math.floor(rnd() ** 1.5 * 180_000);
      const section = SECTIONS[Math.floor(rnd() * SECTIONS.length)]!;
      items.push({ id, feed, kind, path: `/${section}/2026/story-${id}.html`, title: '', storyOf, bytes, padTo: Math.round(bytes * pageScale) });
    }
  }
  return { feeds, perFeed, items };
}

/** Article host of feed `f` (127.0.0.2 …) and its feed host (127.0.1.1 …): 254 feeds at most. */
export function articleHost(feed: number): string {
  return `127.0.${Math.floor((feed + 2) / 256)}.${(feed + 2) % 256}`;
}

export function feedHost(feed: number): string {
  return `127.1.${Math.floor((feed + 1) / 256)}.${(feed + 1) % 256}`;
}
