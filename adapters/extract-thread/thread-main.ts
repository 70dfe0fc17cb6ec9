import { extractArticle } from '../../stages/extract/extract-article.js';
import { serveThread } from '../thread-pool/serve-thread.js';
import type { ExtractTask } from './extract-pool.js';

// The body of one extraction thread: the DOM never leaves it.
serveThread(({ page, opts }: ExtractTask) => extractArticle(page, opts), 'NL_EXTRACT_FAILED');
