import { parentPort } from 'node:worker_threads';
import { extractArticle } from '../../stages/extract/extract-article.js';
import type { ThreadReply, ThreadRequest } from './thread-messages.js';

// The body of one extraction thread: extract each page and answer with the outcome or the error as a
// plain object (class identity does not survive structured clone). The DOM never leaves the thread.
parentPort!.on('message', (req: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = { id: req.id, ok: true, outcome: extractArticle(req.page, req.opts) };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown; retryable?: unknown; name?: unknown };
    reply = {
      id: req.id,
      ok: false,
      error: {
        message: typeof e.message === 'string' ? e.message : String(err),
        code: typeof e.code === 'string' ? e.code : 'NL_EXTRACT_FAILED',
        retryable: typeof e.retryable === 'boolean' ? e.retryable : false,
        name: typeof e.name === 'string' ? e.name : 'Error',
      },
    };
  }
  parentPort!.postMessage(reply);
});

parentPort!.postMessage('ready');
