import { elementsUnder, isTag } from './elements-under.js';

/** Every `<meta>` value keyed by its lower-cased property, name, itemprop or http-equiv, in page order. */
export type MetaTags = Map<string, string[]>;

// Parse.ly's older integration puts the whole record in one tag as JSON:
// <meta name="parsely-page" content='{"title": …, "pub_date": …, "authors": […], "section": …, "tags": […]}'>.
// Its fields are filed under "parsely-page:<field>" so they are read like any other tag.
const PARSELY_PAGE_FIELDS = ['title', 'pub_date', 'author', 'authors', 'section', 'tags', 'image_url', 'link', 'post_id', 'type'];

/** One pass over the page's `<meta>` tags (`elements`: all of the document's, in order, when already listed); `parsely-page` JSON is unpacked into `parsely-page:*` keys, a malformed one skipped. */
export function readMetaTags(document: Document, elements: readonly Element[] = elementsUnder(document)): MetaTags {
  const map: MetaTags = new Map();
  const add = (key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const el of elements) {
    if (!isTag(el, 'meta')) continue;
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      // "DC.Creator" and "dc.creator" are the same tag; so are "og:title" and "OG:Title".
      const key = el.getAttribute(attr)?.trim().toLowerCase();
      if (key) add(key, content);
    }
  }
  for (const json of map.get('parsely-page') ?? []) {
    for (const [field, value] of Object.entries(parseObject(json))) {
      if (!PARSELY_PAGE_FIELDS.includes(field)) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        const text = typeof item === 'string' ? item.trim() : typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name.trim() : '';
        if (text) add(`parsely-page:${field}`, text);
      }
    }
  }
  return map;
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
