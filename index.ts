// The package's main export: the feed parser as a library. Everything else is the CLI and workers.
export { parseFeedDocument as parseFeed } from './stages/feeds/parse-feed-document.js';
export type { ParseFeedDocumentOptions as ParseFeedOptions } from './stages/feeds/parse-feed-document.js';
export type { FeedDocument, FeedDocumentItem, FeedFormat } from './stages/feeds/feed-document.js';
export { FeedParseError } from './stages/feeds/feed-parse-error.js';
