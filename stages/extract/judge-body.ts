/** What the extract stage knows about a page when it decides whether the body is an article. */
export interface BodyFacts {
  url: string;
  /** Words of the extracted body. */
  bodyWords: number;
  /** Words of the whole page's visible text. */
  pageWords: number;
  /** Share of the body's characters inside links. */
  linkDensity: number;
  /** og:type, lower-cased, or null. */
  pageType: string | null;
  /** JSON-LD declares an Article (or a subtype). */
  declaresArticle: boolean;
  /** JSON-LD isAccessibleForFree, when the page says. */
  accessibleForFree: boolean | null;
  /** The page's visible text, for subscription-wall wording. */
  pageText: string;
  /** Pictures in the body. */
  imageCount: number;
}

export type BodyVerdict = { reason: 'not-an-article' | 'empty' | 'paywall'; detail: string } | null;

// Under this many words of body there is no article to keep: a teaser, a stub, an error page...
const MIN_BODY_WORDS = 40;
// ...unless the page calls itself an article (og:type or JSON-LD): a short post or a news brief is one.
const MIN_DECLARED_BODY_WORDS = 10;
// Above this share of its text in links, a "body" is a list of headlines: a section or home page.
const MAX_LINK_DENSITY = 0.5;
// A gallery: many pictures, a few words each at most.
const MIN_GALLERY_IMAGES = 8;
const MAX_GALLERY_WORDS_PER_IMAGE = 12;
// Subscription walls, in the languages of our feeds: the stub ends with one of these.
const PAYWALL_TEXT =
  /\b(?:subscribe (?:now )?to (?:continue|read|keep) reading|to continue reading,? (?:please )?(?:subscribe|log ?in|sign in)|already a subscriber|this (?:article|content) is (?:only )?(?:for|available to) (?:subscribers|members)|exklusiv für (?:abonnenten|abonnentinnen)|weiterlesen mit (?:\w+\s)?(?:plus|abo)|jetzt (?:\w+\s)?abo (?:abschließen|testen)|réservé aux abonnés|contenido (?:exclusivo )?para suscriptores|solo para suscriptores|riservato agli abbonati)\b/i;

/** Decide whether an extracted body is an article; null when it is, else why the page is skipped. */
export function judgeBody(facts: BodyFacts): BodyVerdict {
  const declared = facts.pageType === 'article' || facts.declaresArticle;
  const paywalled = facts.accessibleForFree === false || PAYWALL_TEXT.test(facts.pageText);
  const words = facts.bodyWords;
  const minWords = declared && !paywalled ? MIN_DECLARED_BODY_WORDS : MIN_BODY_WORDS;
  if (words < minWords) {
    const detail = `${facts.url}: article body has ${words} words, under ${minWords}, in ${facts.pageWords} words of page text`;
    if (facts.pageWords < MIN_BODY_WORDS) return { reason: 'empty', detail };
    // A page that says it is not free, or asks for a subscription, and shows a stub is behind a paywall.
    if (paywalled && words > 0) return { reason: 'paywall', detail: `${detail}; ${facts.accessibleForFree === false ? 'JSON-LD says isAccessibleForFree: false' : 'the page asks for a subscription'}` };
    return { reason: 'not-an-article', detail };
  }
  if (/^video\b/.test(facts.pageType ?? '') && words < MIN_BODY_WORDS * 2) {
    return { reason: 'not-an-article', detail: `${facts.url}: og:type is ${facts.pageType} with ${words} words of text: a video page` };
  }
  if (facts.imageCount >= MIN_GALLERY_IMAGES && words < facts.imageCount * MAX_GALLERY_WORDS_PER_IMAGE && !declared) {
    return { reason: 'not-an-article', detail: `${facts.url}: ${facts.imageCount} pictures with ${words} words of text: a gallery` };
  }
  // A link blog or a press digest is link-heavy too: only a page that does not call itself an article is judged by its links.
  if (facts.linkDensity > MAX_LINK_DENSITY && !declared) {
    return { reason: 'not-an-article', detail: `${facts.url}: ${Math.round(facts.linkDensity * 100)}% of the body text is links: a list of headlines, not an article` };
  }
  return null;
}
