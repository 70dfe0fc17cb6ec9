import { parentPort } from 'node:worker_threads';
import type { ThreadReply, ThreadRequest } from './thread-messages.js';

/**
 * The body of one pool thread: runs `work` on each request and answers with its value, or with the
 * error as a plain object (class identity does not survive structured clone); `fallbackCode` names an
 * error that carries no code of its own. Says 'ready' once loaded, so start-up is not charged to a task.
 */
export function serveThread<In, Out>(work: (input: In) => Out | Promise<Out>, fallbackCode: string): void {
  const port = parentPort;
  if (port === null) throw new Error('serveThread must run in a worker thread');
  const failure = (id: number, err: unknown): ThreadReply<Out> => {
    const e = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; code?: unknown; retryable?: unknown; name?: unknown };
    return {
      id,
      ok: false,
      error: {
        message: typeof e.message === 'string' ? e.message : String(err),
        code: typeof e.code === 'string' ? e.code : fallbackCode,
        retryable: typeof e.retryable === 'boolean' ? e.retryable : false,
        name: typeof e.name === 'string' ? e.name : 'Error',
      },
    };
  };
  port.on('message', (req: ThreadRequest<In>) => {
    let out: Out | Promise<Out>;
    try {
      out = work(req.input);
    } catch (err) {
      port.postMessage(failure(req.id, err));
      return;
    }
    // A value that cannot be cloned (a function in a user stage's patch) is that task's error, not the thread's death.
    const answer = (value: Out) => {
      try {
        port.postMessage({ id: req.id, ok: true, value } satisfies ThreadReply<Out>);
      } catch (err) {
        port.postMessage(failure(req.id, err));
      }
    };
    // Synchronous work answers at once; asynchronous work (user enrichment stages) when it settles.
    if (!(out instanceof Promise)) return answer(out);
    out.then(answer, (err: unknown) => port.postMessage(failure(req.id, err)));
  });
  port.postMessage('ready');
}
