import { gunzipSync } from 'node:zlib';
import { NewsloomError } from '../../lib/errors.js';
import { extractArticle, type FetchedPage } from '../../stages/extract/extract-article.js';
import { decodeText } from '../../stages/fetch/decode-text.js';
import { serveThread } from '../thread-pool/serve-thread.js';
import type { ExtractTask, StoredPage } from './extract-pool.js';

// Far above any page fetch accepts (fetch.maxBytes): a blob that unpacks past it is not a page we stored.
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

// The body of one extraction thread: the DOM never leaves it.
serveThread(({ page, opts }: ExtractTask) => extractArticle('html' in page ? page : unpack(page), opts), 'NL_EXTRACT_FAILED');

function unpack({ gzipped, contentType, ...page }: StoredPage): FetchedPage {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gzipped, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (err) {
    // Not retried here: fetching the page again is what cures it (workers/ledger.ts).
    throw new NewsloomError(`extract ${page.url}: the stored page does not unpack: ${(err as Error).message}`, 'NL_PAGE_CORRUPT', false);
  }
  return { ...page, html: decodeText(bytes, contentType, 'html') };
}
