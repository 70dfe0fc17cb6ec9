/** The feed formats parseFeedDocument tells apart; rss0.9x covers 0.90 (RDF), 0.91, 0.92, 0.93 and 0.94. */
export type FeedFormat = 'rss0.9x' | 'rss1.0' | 'rss2.0' | 'atom0.3' | 'atom1.0' | 'json1.0' | 'json1.1';

export interface FeedDocumentItem {
  /** Plain text: markup stripped and entities decoded when the feed gave HTML. */
  title: string | null;
  /** Absolute URL of the item's page (alternate link), resolved against xml:base and the feed URL. */
  link: string | null;
  /** The item's identity: RSS guid, Atom id, RDF rdf:about, JSON Feed id; else its link. */
  guid: string | null;
  /** ISO 8601 UTC (…Z), or null when absent or unparseable. */
  published: string | null;
  updated: string | null;
  /** Author names, joined with ", " when there are several. */
  author: string | null;
  /** Full content as markup (content:encoded, Atom content, JSON content_html/content_text). */
  content: string | null;
  /** Short description as markup (RSS description, Atom summary, JSON summary). */
  summary: string | null;
  /** Category names (RSS category, dc:subject, Atom category label/term, JSON tags), each once. */
  categories: string[];
}

/** What parseFeedDocument makes of a feed, whatever its format. */
export interface FeedDocument {
  format: FeedFormat;
  feed: { title: string | null; link: string | null };
  items: FeedDocumentItem[];
}
