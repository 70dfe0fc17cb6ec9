import { httpStatusError } from '../fetch/errors.js';

/** A feed answer worth parsing is a 2xx with a body; anything else fails with the status. */
export function checkFeedResponse(res: { status: number; url: string; body: Buffer }): void {
  if (res.status < 200 || res.status >= 300) throw httpStatusError(res.url, res.status);
}
