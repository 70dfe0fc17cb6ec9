import { parentPort } from 'node:worker_threads';
import { parseFeedDocument } from '../../stages/feeds/parse-feed-document.js';
import type { ThreadReply, ThreadRequest } from './thread-messages.js';

// The body of one parser thread: parse each request and answer with the document or the error
// as a plain object (class identity does not survive structured clone).
parentPort!.on('message', (req: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    const bytes = typeof req.bytes === 'string' ? req.bytes : Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
    reply = { id: req.id, ok: true, doc: parseFeedDocument(bytes, req.opts) };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown; retryable?: unknown; name?: unknown };
    reply = {
      id: req.id,
      ok: false,
      error: {
        message: typeof e.message === 'string' ? e.message : String(err),
        code: typeof e.code === 'string' ? e.code : 'NL_FEED_PARSE_CRASH',
        retryable: typeof e.retryable === 'boolean' ? e.retryable : false,
        name: typeof e.name === 'string' ? e.name : 'Error',
      },
    };
  }
  parentPort!.postMessage(reply);
});

parentPort!.postMessage('ready');
