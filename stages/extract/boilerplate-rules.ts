// General rules for page chrome: by tag, ARIA role, class/id token and text. Never by site or URL,
// so a new site needs no code. Sources: Readability's unlikelyCandidates, boilerpipe, Trafilatura.

/** Elements that never carry article text. */
const JUNK_TAGS = [
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'svg', 'canvas', 'math', 'link', 'meta', 'button', 'input', 'select', 'textarea', 'option', 'label',
  'dialog', 'audio', 'video', 'source', 'track', 'map',
];

/** Page chrome by tag; `header` and `form` are handled with care in clean-dom.ts. */
const CHROME_TAGS = ['nav', 'aside', 'footer', 'menu'];

/** ARIA landmark roles of chrome. */
const CHROME_ROLES = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alertdialog', 'menu', 'menubar',
  'toolbar', 'tablist', 'alert', 'marquee',
]);

// Whole class/id tokens ("ad", "nav") that are chrome only as a whole word: "ad" must not hit "head".
const CHROME_TOKENS = new Set([
  'ad', 'ads', 'adv', 'advert', 'adverts', 'advertisement', 'advertising', 'adslot', 'adunit', 'adbox', 'dfp',
  'nav', 'navbar', 'navigation', 'menu', 'sidebar', 'breadcrumb', 'breadcrumbs', 'masthead', 'footer', 'toolbar',
  'modal', 'popup', 'overlay', 'sponsor', 'sponsored', 'promo', 'promos', 'promotion', 'newsletter', 'newsletters',
  'subscribe', 'signup', 'respond',
]);

// Tokens that name small chrome (bylines, tags, screen-reader labels) but also appear on big wrappers
// ("hidden-print", "post-meta-wrap"): only small elements carrying them are removed.
const SMALL_CHROME_TOKENS = new Set([
  'byline', 'dateline', 'timestamp', 'meta', 'tags', 'keywords', 'topics', 'author', 'bio', 'print', 'skip',
  'hidden', 'sr', 'visually', 'screen', 'disclaimer', 'pagination', 'pager', 'reply', 'replies', 'rating', 'caption',
]);

// Substrings distinctive enough to match inside compound names ("sharebar", "relatedStories").
const CHROME_SUBSTRINGS = /share|sharing|social|newsletter|promo(?!t)|related|advert|ad-?slot|ad-?unit|ad-?container|ad-?wrapper|dfp-|google-?ad|cookie|consent|gdpr|comments?(?![a-z])|comment-|disqus|subscribe|sign-?up|breadcrumb|most-?(?:read|popular|viewed|shared)|trending|recommend|outbrain|taboola|sponsor|read-?more|more-?stories|also-?read|see-?also|further-?reading|you-?may-?like|author-?(?:bio|box|info)|post-?meta|entry-?meta|article-?meta|byline|social|follow-?us|app-?promo|download-?app|skip-?link|back-?to-?top/i;

// Consent and cookie notices: named so by every theme, and never a post's container, so even the light rules drop them.
const CONSENT_NAMES = /cookie|consent|gdpr/i;

type ChromeName = 'chrome' | 'small-chrome' | null;

// Pages repeat a few class names on many elements, and markImages, findStandfirst and both cleanDom passes
// read each element's: tokens and verdicts are kept by name string, per thread, dropped when this many.
const MAX_REMEMBERED_NAMES = 20_000;
const tokensByNames = new Map<string, readonly string[]>();
const verdictByNames = new Map<string, ChromeName>();

/** Tokens of an element's class and id: "shareBar ad_slot" gives share, bar, ad, slot. */
function classTokens(el: Element): readonly string[] {
  return tokensOf(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`);
}

function tokensOf(names: string): readonly string[] {
  let tokens = tokensByNames.get(names);
  if (tokens === undefined) {
    tokens = names
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    if (tokensByNames.size >= MAX_REMEMBERED_NAMES) tokensByNames.clear();
    tokensByNames.set(names, tokens);
  }
  return tokens;
}

/** How class or id name the element: 'chrome' (share bars, ads, related lists, comments), 'small-chrome', or null. */
function chromeName(el: Element): ChromeName {
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  let verdict = verdictByNames.get(names);
  if (verdict === undefined) {
    verdict = judgeNames(names);
    if (verdictByNames.size >= MAX_REMEMBERED_NAMES) verdictByNames.clear();
    verdictByNames.set(names, verdict);
  }
  return verdict;
}

function judgeNames(names: string): ChromeName {
  if (!names.trim()) return null;
  const tokens = tokensOf(names);
  if (CHROME_SUBSTRINGS.test(names.trim()) || tokens.some((t) => CHROME_TOKENS.has(t))) return 'chrome';
  return tokens.some((t) => SMALL_CHROME_TOKENS.has(t)) ? 'small-chrome' : null;
}

// A whole short block saying only this is a label of chrome, in the languages of our feeds.
const CHROME_TEXT = new RegExp(
  '^(?:' +
    [
      'advertisement', 'advertisements', 'advertising', 'ad', 'ads', 'sponsored(?: content)?', 'paid (?:post|content)',
      'anzeige', 'werbung', 'publicité', 'publicidad', 'pubblicità', 'reklama', 'story continues below(?: advertisement)?',
      'article continues below(?: advertisement)?', 'continue reading(?: below| the main story)?', 'scroll to continue(?: with content)?',
      'skip to (?:main )?content', 'skip navigation', 'share(?: this)?(?: article| story| post| page)?', 'share on \\w+', 'share via \\w+',
      'tweet', 'email', 'e-mail', 'print', 'copy link', 'link copied', 'comments?', '\\d+ comments?', 'read more', 'show more',
      'load more', 'back to top', 'follow us(?: on \\w+)?', 'sign up', 'subscribe(?: now)?', 'log ?in', 'sign in', 'close',
      'accept(?: all)?(?: cookies)?', 'teilen', 'drucken', 'compartir', 'partager', 'imprimer', 'condividi',
    ].join('|') +
    ')[\\s.:!…]*$',
  'i',
);

/** A heading that introduces a list of links to other pages. */
const LINK_LIST_HEADING = new RegExp(
  '^(?:' +
    [
      'related(?: articles| stories| content| news| posts| coverage| topics| links| reading)?', 'read (?:more|also|next)',
      'more (?:from|on|in|about|stories|news|articles|headlines|top stories)\\b.*', 'most (?:read|popular|viewed|shared|commented)\\b.*',
      'you (?:may|might) (?:also )?(?:like|enjoy|be interested)\\b.*', 'recommended\\b.*', 'trending\\b.*', 'see also', 'also read',
      'latest(?: news| stories| headlines| articles)?', 'top stories', 'popular(?: now| stories| articles)?', "editor'?s? picks",
      'what to read next', 'further reading', 'in other news', 'lea (?:también|más)', 'lee también', 'más noticias', 'lesen sie auch',
      'mehr zum thema', 'weitere artikel', 'das könnte sie auch interessieren', 'meistgelesen', '(?:à )?lire aussi', 'sur le même sujet',
      'leia também', 'veja também', 'mira también', 'puedes ver', 'te puede interesar', 'leggi anche', 'czytaj (?:też|także|również)', 'zobacz (?:też|także)',
    ].join('|') +
    ')[\\s.:!…]*$',
  'i',
);

/** A heading over the authors' biographies, which follow it. */
const AUTHOR_BIO_HEADING = /^(?:about the authors?|the authors?|authors?|author bio|über (?:den autor|die autor(?:in|innen))|autor(?:in|en|innen|:innen|\*innen)?|zum autor|zur autorin|à propos de l'auteur|l'auteur|sobre (?:el|la|o|a) autora?|o autorze|l'autore)[\s.:!…]*$/i;

/** A "Read more: <link>" line inside the body pointing at another article. */
const READ_ALSO_PREFIX = /^(?:read (?:more|also|next)|also read|see also|related|more|recommended|watch|listen|lea(?: también| más)?|lee también|mir[ae]|puedes ver|ver también|te puede interesar|leia (?:também|mais)|veja (?:também|mais)|lesen sie (?:auch|mehr|hier)|siehe auch|auch interessant|mehr dazu|mehr zum thema|(?:à )?lire aussi|à lire|voir aussi|czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|dowiedz się więcej|leggi anche|vedi anche|lees ook|zie ook)\s*[:：»>|]/i;

/** The rules cleanDom and markImages apply, in one place so that a new rule is one edit. */
export const boilerplateRules = {
  junkTags: JUNK_TAGS,
  chromeTags: CHROME_TAGS,
  chromeRoles: CHROME_ROLES,
  chromeText: CHROME_TEXT,
  linkListHeading: LINK_LIST_HEADING,
  authorBioHeading: AUTHOR_BIO_HEADING,
  readAlsoPrefix: READ_ALSO_PREFIX,
  classTokens,
  chromeName,
  isConsentNotice: (el: Element): boolean => CONSENT_NAMES.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`),
} as const;
