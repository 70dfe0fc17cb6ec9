/** One entry as a feed format states it, before URLs are resolved and dates parsed. */
export interface RawFeedItem {
  link: string | null;
  guid: string | null;
  title: string | null;
  author: string | null;
  date: string | null;
  categories: string[];
}

/** What a format parser (XML through rss-parser, or JSON Feed) hands to parseFeed. */
export interface RawFeed {
  title: string | null;
  link: string | null;
  items: RawFeedItem[];
}
