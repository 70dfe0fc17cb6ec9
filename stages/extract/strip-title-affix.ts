/** What says a title's affix is the site's name rather than part of the headline. */
export interface TitleEvidence {
  /** og:site_name, application-name, the JSON-LD publisher, the host's registrable name ("kestrelbaynews"). */
  siteNames: string[];
  /** The other title candidates (og:title, JSON-LD headline, h1, <title>): a headline repeated without the affix proves it one. */
  otherTitles: string[];
}

// " | Site", " - Site", " — Site", " :: Site", " · Site" after the headline; "Site: ", "Site | " before it.
const SUFFIX = /^(.+?)\s+(?:\||-|–|—|::|·|•|»)\s+([^|–—»]+)$/;
const PREFIX = /^([^|:–—»]+?)(?::|\s+(?:\||–|—|::|»))\s+(.+)$/;
// Keys this short ("the", "news") match too much to prove anything.
const MIN_KEY_CHARS = 4;

/**
 * "Bridge reopens | The Courier" → "Bridge reopens", and "The Courier: Bridge reopens" too, but only when the
 * affix is the site's name or the headline appears elsewhere without it: "Storm - what we know" stays whole.
 */
export function stripTitleAffix(title: string, evidence: TitleEvidence): string {
  const sites = evidence.siteNames.map(key).filter((k) => k.length >= MIN_KEY_CHARS);
  const others = new Set(evidence.otherTitles.map(key).filter((k) => k.length > 0));
  const isSite = (affix: string) => sites.some((site) => sameName(key(affix), site));
  let out = title;
  for (let i = 0; i < 3; i++) {
    const suffix = SUFFIX.exec(out);
    if (suffix?.[1] && suffix[2] && (isSite(suffix[2]) || others.has(key(suffix[1])))) {
      out = suffix[1].trim();
      continue;
    }
    const prefix = PREFIX.exec(out);
    if (prefix?.[1] && prefix[2] && (isSite(prefix[1]) || others.has(key(prefix[2])))) {
      out = prefix[2].trim();
      continue;
    }
    break;
  }
  return out;
}

function key(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

// "The Courier" names the site "Courier"; "courier.com" and "Courier News" do too.
function sameName(affix: string, site: string): boolean {
  if (affix.length < MIN_KEY_CHARS) return false;
  const [shorter, longer] = affix.length < site.length ? [affix, site] : [site, affix];
  // Containment counts only between names of like length: "applefansqueue" is not the site "apple".
  return longer.includes(shorter) && shorter.length * 2 >= longer.length;
}
