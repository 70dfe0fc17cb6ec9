import { createHash } from 'node:crypto';

/** SHA-1 of a string as 40 hex digits: the short, stable key newsloom derives from URLs and ids. */
export function sha1Hex(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
