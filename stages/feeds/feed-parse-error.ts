import { NewsloomError } from '../../lib/errors.js';

/** A document that is not a feed we can read; parsing it again will not help. */
export const feedParseError = (feedUrl: string, reason: string, cause?: unknown): NewsloomError =>
  new NewsloomError(`parse feed ${feedUrl}: ${reason}`, 'NL_FEED_PARSE', false, cause === undefined ? undefined : { cause });

/** The reason given for a document that is no feed format at all (an HTML page, an error text). */
export const NOT_A_FEED = 'no <rss>, <feed>, <rdf:RDF> root or JSON Feed';
