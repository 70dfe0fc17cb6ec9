import type { Article } from '../../stages/article.js';

/**
 * What the `article_mentions` table indexes: `entity`, each person, organisation and place an
 * article's enrichment names (one kind for the three, so a lookup walks one index range already in
 * newest-first order); `country`, the countries of its resolved places; `site`, its host and site name.
 */
export type MentionKind = 'entity' | 'country' | 'site';

export interface Mention {
  kind: MentionKind;
  key: string;
}

/**
 * A name as stored and as looked up: NFKC, lowercased, inner spaces collapsed. Lowercased here and
 * not in SQL, because SQLite's lower() and PostgreSQL's under the C locale fold ASCII only.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A host or a site name as stored and looked up: a name key without a leading "www.". */
export function siteKey(site: string): string {
  return nameKey(site).replace(/^www\./, '');
}

/** A country code as stored and looked up: ISO 3166-1 alpha-2, upper case. */
export function countryKey(code: string): string {
  return code.trim().toUpperCase();
}

/** Every distinct (kind, key) row of `article_mentions` for this article. */
export function articleMentions(article: Article): Mention[] {
  const seen = new Set<string>();
  const out: Mention[] = [];
  const add = (kind: MentionKind, key: string) => {
    if (key === '' || seen.has(`${kind}\u0000${key}`)) return;
    seen.add(`${kind}\u0000${key}`);
    out.push({ kind, key });
  };
  const e = article.entities;
  for (const p of e?.people ?? []) add('entity', nameKey(p.name));
  for (const o of e?.organizations ?? []) add('entity', nameKey(o.name));
  for (const p of e?.places ?? []) {
    add('entity', nameKey(p.name));
    if (p.country) add('country', countryKey(p.country));
  }
  for (const c of article.countries ?? []) add('country', countryKey(c));
  add('site', siteKey(hostOf(article.canonicalUrl)));
  if (article.siteName) add('site', siteKey(article.siteName));
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
