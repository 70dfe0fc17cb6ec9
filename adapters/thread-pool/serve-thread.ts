import { parentPort } from 'node:worker_threads';
import type { ThreadReply, ThreadRequest } from './thread-messages.js';

/**
 * The body of one pool thread: runs `work` on each request and answers with its value, or with the
 * error as a plain object (class identity does not survive structured clone); `fallbackCode` names an
 * error that carries no code of its own. Says 'ready' once loaded, so start-up is not charged to a task.
 */
export function serveThread<In, Out>(work: (input: In) => Out, fallbackCode: string): void {
  const port = parentPort;
  if (port === null) throw new Error('serveThread must run in a worker thread');
  port.on('message', (req: ThreadRequest<In>) => {
    let reply: ThreadReply<Out>;
    try {
      reply = { id: req.id, ok: true, value: work(req.input) };
    } catch (err) {
      const e = err as { message?: unknown; code?: unknown; retryable?: unknown; name?: unknown };
      reply = {
        id: req.id,
        ok: false,
        error: {
          message: typeof e.message === 'string' ? e.message : String(err),
          code: typeof e.code === 'string' ? e.code : fallbackCode,
          retryable: typeof e.retryable === 'boolean' ? e.retryable : false,
          name: typeof e.name === 'string' ? e.name : 'Error',
        },
      };
    }
    port.postMessage(reply);
  });
  port.postMessage('ready');
}
