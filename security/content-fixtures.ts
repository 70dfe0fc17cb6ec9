import type { HostileSite } from './hostile-site.js';
import { xssPayloads } from './xss-payloads.js';

/** A page listed in a feed of the pipeline run, with what the run must make of it. */
export interface ContentPage {
  path: string;
  group: 'xss' | 'utf8' | 'jsdom' | 'huge' | 'strings';
  /** The failure code when the page must fail (with its reason) rather than be stored. */
  mustFail?: string;
  payload?: string;
}

const PARAS = [
  'The regional council met on Tuesday evening to settle the budget for the coming year, after three weeks of talks between the parties that share power in the chamber and a long public consultation.',
  'Officials said the plan keeps spending on schools and buses level while trimming the cost of administration, and that the reserve fund would be rebuilt over the next four years without new taxes.',
  'Opposition members argued that the figures rest on optimistic forecasts for tourism and property sales, and asked for a review in the spring once the first quarter of receipts is known.',
  'Residents who spoke at the meeting mostly asked about road repairs, the library opening hours and the new recycling centre, which is due to open in the autumn after a delay of several months.',
];

export function articleHtml(title: string, inner: string, extraHead = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="${new Date(Date.now() - 3_600_000).toISOString()}">${extraHead}</head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header><main><article><h1>${title}</h1><p class="byline">By Ana Ruiz</p>
<p>${PARAS[0]}</p>${inner}<p>${PARAS[1]}</p><p>${PARAS[2]}</p><p>${PARAS[3]}</p></article></main><footer>© Loopback Gazette</footer></body></html>`;
}

/** RSS 2.0 listing `links`, newest first, dated within the last hours (poll.maxItemAge keeps them). */
export function rss(title: string, items: Array<{ link: string; title: string }>): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const body = items
    .map((it, i) => `<item><title>${esc(it.title)}</title><link>${esc(it.link)}</link><guid isPermaLink="false">${esc(`${i}:${it.link.slice(0, 200)}`)}</guid><pubDate>${new Date(Date.now() - (i + 1) * 60_000).toUTCString()}</pubDate></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>http://5.5.5.5/</link><description>x</description>\n${body}\n</channel></rss>`;
}

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/**
 * Registers the content pages of catalogue E on the site (XSS payloads, broken encodings, jsdom
 * side effects, giant and deep pages, pathological strings) and returns them in feed order.
 */
export function registerContentPages(site: HostileSite): ContentPage[] {
  const pages: ContentPage[] = [];
  const html = (path: string, body: Buffer | string, type = 'text/html; charset=utf-8') =>
    site.route(path, (_req, res) => void res.writeHead(200, { 'content-type': type }).end(body));

  const escText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  xssPayloads(site.origin).forEach((payload, i) => {
    const path = `/xss/${i}`;
    // The payload is also the title's text: stored as text, it must stay text on every page that shows titles.
    html(path, articleHtml(`Council budget vote ${i} ${escText(payload)}`, `<p>Quote of the day follows.</p>${payload}<p>End of quote.</p>`));
    pages.push({ path, group: 'xss', payload });
  });

  const head = (charset: string) => `<!doctype html><html><head><meta charset="${charset}"><title>`;
  const rest = (t: string) => `</title></head><body><article><h1>${t}</h1><p>${PARAS.join('</p><p>')}</p><p>`;
  const tail = '</p></article></body></html>';
  const utf8: Array<[string, Buffer, string]> = [
    ['invalid', bytes(head('utf-8'), 'Bad bytes ', [0xff, 0xfe, 0xc3, 0x28], rest('Invalid UTF-8 bytes'), 'x', [0x80, 0xbf, 0xf8, 0x88, 0x80, 0x80, 0x80], 'y', tail), 'text/html; charset=utf-8'],
    ['overlong', bytes(head('utf-8'), 'Overlong ', [0xc0, 0xaf, 0xe0, 0x80, 0xaf], rest('Overlong sequences'), [0xf0, 0x80, 0x80, 0xaf], tail), 'text/html; charset=utf-8'],
    ['surrogate', bytes(head('utf-8'), 'Surrogate ', [0xed, 0xa0, 0x80], rest('Lone surrogate'), [0xed, 0xbf, 0xbf], tail), 'text/html; charset=utf-8'],
    ['nul', bytes(head('utf-8'), 'NUL', [0], 'in title', rest('NUL bytes'), 'before', [0], 'after', [0], tail), 'text/html; charset=utf-8'],
    ['mislabelled', bytes(head('utf-8'), 'Caf', [0xe9], ' cr', [0xe8], 'me', rest('Mislabelled latin-1'), 'na', [0xef], 've', tail), 'text/html; charset=utf-8'],
    ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${head('utf-16')}UTF-16 page${rest('UTF-16 with BOM')}ok${tail}`, 'utf16le')]), 'text/html'],
    ['bom', bytes([0xef, 0xbb, 0xbf], head('iso-8859-1'), 'BOM beats the label — ok', rest('UTF-8 BOM, latin-1 label'), 'é', tail), 'text/html; charset=iso-8859-1'],
    ['controls', bytes(head('utf-8'), 'Controls ', [0x01, 0x08, 0x0b, 0x1b, 0x7f], rest('C0 controls'), [0x0c, 0x1f], tail), 'text/html; charset=utf-8'],
  ];
  for (const [name, body, type] of utf8) {
    const path = `/p4/${name}`;
    html(path, body, type);
    pages.push({ path, group: 'utf8' });
  }

  // P6: nothing in a page is fetched or run while extracting it.
  const p6 = `<script>fetch('${site.origin}/p6/script');new Image().src='http://127.0.0.1:8080/p6'</script>
<img src="${site.origin}/p6/img.png"><img src="http://10.0.0.1:8080/p6.png"><link rel="stylesheet" href="${site.origin}/p6/style.css">
<link rel="stylesheet" href="http://169.254.169.254:8080/p6.css"><iframe src="${site.origin}/p6/frame"></iframe><iframe src="http://[fd00::1]:8080/"></iframe>
<object data="${site.origin}/p6/object"></object><video src="${site.origin}/p6/video" autoplay></video><style>@import url(${site.origin}/p6/import.css);</style>`;
  html('/p6/page', articleHtml('jsdom side effects', '<p>Subresources follow.</p>', `<meta http-equiv="refresh" content="0;url=${site.origin}/p6/refresh">${p6}`).replace('</article>', `${p6}</article>`));
  pages.push({ path: '/p6/page', group: 'jsdom' });

  // P7: 100 MB streamed (no length), 31 MB declared, 100k nested <div>s under the size cap.
  site.route('/p7/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const chunk = Buffer.from(`<p>${'lorem ipsum '.repeat(5_000)}</p>`);
    let left = 100 * 1024 * 1024;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        left -= chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (left <= 0) res.end();
    };
    res.write('<!doctype html><html><head><title>huge</title></head><body>');
    pump();
  });
  pages.push({ path: '/p7/huge', group: 'huge', mustFail: 'NL_TOO_LARGE' });
  site.route('/p7/31mb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(31 * 1024 * 1024) });
    res.end('<html>'); // the length is refused before any body is read
  });
  pages.push({ path: '/p7/31mb', group: 'huge', mustFail: 'NL_TOO_LARGE' });
  html('/p7/nested', articleHtml('Deep nesting', `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`));
  pages.push({ path: '/p7/nested', group: 'huge', mustFail: 'NL_PAGE_UNPARSEABLE' });

  // P9: pathological strings.
  html('/p9/long-title', articleHtml(`Long title ${'x'.repeat(1_000_000)}`, '<p>A page whose title is a megabyte long.</p>'));
  pages.push({ path: '/p9/long-title', group: 'strings' });
  const authors = Array.from({ length: 10_000 }, (_, i) => `<meta name="author" content="Author Number ${i}">`).join('');
  html('/p9/authors', articleHtml('Ten thousand authors', '<p>Every name in the head.</p>', authors));
  pages.push({ path: '/p9/authors', group: 'strings' });
  const longPath = `/p9/long-url`;
  html(longPath, articleHtml('A long URL', '<p>Reached by a URL of 100,000 characters.</p>'));
  pages.push({ path: `${longPath}?q=${'a'.repeat(100_000)}`, group: 'strings' });
  return pages;
}
