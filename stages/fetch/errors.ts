import { NewsloomError } from '../../lib/errors.js';

// 408 and 425 (RFC 8470) mean "try again", 429 asks us to wait, and 5xx gateways/overload pass;
// every other status is a verdict on this URL that retrying will not change.
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** The error for a non-2xx answer, retryable only for statuses that usually pass. */
export const httpStatusError = (url: string, status: number): NewsloomError =>
  new NewsloomError(`GET ${url} answered ${status}`, 'NL_HTTP_STATUS', RETRYABLE_STATUSES.has(status));
