/** A fault with a stable code and a verdict on whether trying again may help. */
export class NewsloomError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Node and DNS error codes for faults that usually pass. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH',
  'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_LOCKED',
]);

/**
 * The one place that decides whether a failed job is retried. Decides by `code`/`retryable`,
 * never only by `instanceof`: errors crossing a worker-thread boundary arrive as plain objects.
 * Unknown errors retry within the attempt cap.
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return true;
  const e = err as { retryable?: unknown; code?: unknown };
  if (typeof e.retryable === 'boolean') return e.retryable;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  return true;
}

/** `CODE: message` for a failed job's reason, so the failed set reads well. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.startsWith(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * When a host asked us to come back (an NL_WAIT error's `retryAtMs`), or null for any other
 * error. By code and property, not instanceof, like isRetryable.
 */
export function waitUntil(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; retryAtMs?: unknown };
  return e.code === 'NL_WAIT' && typeof e.retryAtMs === 'number' && Number.isFinite(e.retryAtMs) ? e.retryAtMs : null;
}
