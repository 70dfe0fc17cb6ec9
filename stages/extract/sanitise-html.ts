import sanitizeHtml from 'sanitize-html';
import { resolveUrl } from './resolve-url.js';

// Structure only: what a reader needs to see paragraphs, headings, lists, quotes, tables and links.
// Pictures are not kept here: they live in images[] with their captions.
const ALLOWED_TAGS = [
  'p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'br',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'dl', 'dt', 'dd',
  'a', 'em', 'strong', 'b', 'i', 'sub', 'sup',
];
// Tags whose text must go with them, not be kept as loose text.
const DROP_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'svg', 'math', 'button', 'select', 'title', 'head'];

/** Body HTML reduced to an allowlist: no script, style, iframe, event handler, class, or javascript:/data: URL. */
export function sanitiseHtml(html: string, pageUrl: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'], th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    nonTextTags: DROP_WITH_CONTENT,
    transformTags: {
      h1: 'h2',
      // Relative links made absolute, unsafe ones dropped: the HTML is read away from the page.
      a: (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
        const href = attribs.href?.startsWith('mailto:') ? attribs.href : resolveUrl(attribs.href, pageUrl);
        return { tagName, attribs: href ? { href } : {} };
      },
    },
    exclusiveFilter: (frame) => ['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'].includes(frame.tag) && !frame.text.trim() && frame.mediaChildren.length === 0,
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
