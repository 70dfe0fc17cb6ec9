import { parseFeedDocument } from '../../stages/feeds/parse-feed-document.js';
import { serveThread } from '../thread-pool/serve-thread.js';
import type { FeedParseTask } from './feed-parser-pool.js';

// The body of one parser thread.
serveThread(({ bytes, opts }: FeedParseTask) => {
  const input = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return parseFeedDocument(input, opts);
}, 'NL_FEED_PARSE_CRASH');
