/** What a pool sends its thread. */
export interface ThreadRequest<In> {
  id: number;
  input: In;
}

/** An error as it crosses the thread boundary: a plain object, rebuilt on the other side by code. */
export interface ThreadError {
  message: string;
  code: string;
  retryable: boolean;
  name: string;
}

/** What a thread answers; it also sends 'ready' once, when its module has loaded. */
export type ThreadReply<Out> = { id: number; ok: true; value: Out } | { id: number; ok: false; error: ThreadError };
