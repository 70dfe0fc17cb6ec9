import { NewsloomError } from '../../lib/errors.js';

/** A document that is not a feed we can read (NL_FEED_PARSE); parsing it again will not help. */
export class FeedParseError extends NewsloomError {
  /** `message` says what was parsed and why it failed: `parse feed https://x.example/rss: no <rss> …`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'NL_FEED_PARSE', false, options);
  }
}

/** The reason given for a document that is no feed format at all (an HTML page, an error text). */
export const NOT_A_FEED = 'no <rss>, <feed>, <rdf:RDF> root or JSON Feed';
