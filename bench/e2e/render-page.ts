// The bench site's HTML: a news page with its story (sentences of the corpus, seeded by the story)
// wrapped in its site's boilerplate (navigation, styles, scripts, related links, comments, footer)
// up to the item's target size. A duplicate is byte-identical to its original; a syndicated copy
// carries the original's story in another site's page; a malformed page is cut off mid-tag.
import { seededRandom } from '../../lib/seeded-random.js';
import type { PlannedItem, SitePlan } from './site-plan.js';

const ADJ = ['Northern', 'Evening', 'Daily', 'Coastal', 'Metro', 'Valley', 'Harbour', 'Capital', 'Western', 'Island'];
const NOUN = ['Courier', 'Gazette', 'Herald', 'Chronicle', 'Post', 'Times', 'Observer', 'Record', 'Tribune', 'Ledger'];
const WRITERS = ['Maria Lopez', 'James Okoro', 'Aisha Rahman', 'Liam Byrne', 'Chen Wei', 'Sofia Marino', 'Daniel Weiss', 'Priya Nair'];

export interface Story {
  title: string;
  author: string;
  paragraphs: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function siteName(feed: number): string {
  return `The ${ADJ[feed % ADJ.length]} ${NOUN[Math.floor(feed / ADJ.length) % NOUN.length]}${feed >= 100 ? ` ${Math.floor(feed / 100) + 1}` : ''}`;
}

/** The story of item `id`: longer for pages planned larger, 60–1,400 words. */
export function storyOf(item: PlannedItem, sentences: readonly string[]): Story {
  const rnd = seededRandom(item.id * 7919 + 1);
  const words = item.bytes < 8_000 ? 60 + Math.floor(rnd() * 190) : 250 + Math.floor(rnd() * 1_150);
  const paragraphs: string[] = [];
  let count = 0;
  let para: string[] = [];
  while (count < words) {
    const s = sentences[Math.floor(rnd() * sentences.length)]!;
    para.push(s);
    count += s.split(' ').length;
    if (para.length >= 2 + Math.floor(rnd() * 3)) paragraphs.push(para.splice(0).join(' '));
  }
  if (para.length > 0) paragraphs.push(para.join(' '));
  const lead = paragraphs[0]!.split(' ').slice(0, 6 + Math.floor(rnd() * 6)).join(' ').replace(/[,;:."']+$/, '');
  return { title: `${lead} (${item.id})`, author: WRITERS[Math.floor(rnd() * WRITERS.length)]!, paragraphs };
}

/** The page of `item` as its site serves it. */
export function renderPage(item: PlannedItem, plan: SitePlan, sentences: readonly string[], publishedAt: Date): string {
  if (item.kind === 'duplicate') return renderPage(plan.items[item.storyOf]!, plan, sentences, publishedAt);
  const story = storyOf(plan.items[item.storyOf]!, sentences);
  const html = page(item, story, sentences, publishedAt, item.kind === 'syndicated' ? siteName(plan.items[item.storyOf]!.feed) : null);
  if (item.kind !== 'malformed') return html;
  // Cut off mid-tag, closing tags dropped, stray markup: what a broken CMS or a dropped connection leaves.
  const cut = html.slice(0, Math.floor(html.length * 0.6)).replace(/<\/(p|div|section)>/g, '');
  return `${cut.replace(/<p>/, '<p><div <b>><table><tr><td>\u0000\u0007')}<scr`;
}

function page(item: PlannedItem, story: Story, sentences: readonly string[], publishedAt: Date, originally: string | null): string {
  const rnd = seededRandom(item.id * 104_729 + 3);
  const name = siteName(item.feed);
  const link = (i: number) => `<li><a href="/local/2026/story-${(item.id * 31 + i * 17) % 100_000}.html">${esc(sentences[Math.floor(rnd() * sentences.length)]!.slice(0, 70))}</a></li>`;
  const nav = Array.from({ length: 30 }, (_, i) => `<li class="nav-item"><a href="/section-${i}/">${['World', 'Politics', 'Business', 'Science', 'Health', 'Sport', 'Culture', 'Opinion'][i % 8]} ${i}</a></li>`).join('');
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(story.title)} | ${esc(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:title" content="${esc(story.title)}">
<meta property="og:site_name" content="${esc(name)}"><meta name="author" content="${esc(story.author)}">
<meta property="article:published_time" content="${publishedAt.toISOString()}">
<style>${Array.from({ length: 40 }, (_, i) => `.c${item.feed}-${i}{margin:${i}px;padding:${i % 7}px;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`).join('\n')}</style>
<script>window.__SITE__={"id":${item.feed},"section":"news","ads":[${Array.from({ length: 20 }, (_, i) => `{"slot":"ad-${i}","size":[300,250]}`).join(',')}]};</script>
</head><body class="site-${item.feed}"><header class="masthead"><a class="logo" href="/">${esc(name)}</a><nav><ul>${nav}</ul></nav>
<div class="ticker">${esc(sentences[Math.floor(rnd() * sentences.length)]!)}</div></header>`;
  const body = `<main><article class="story"><h1>${esc(story.title)}</h1>
<p class="byline">By <a rel="author" href="/authors/${story.author.toLowerCase().replace(/ /g, '-')}">${esc(story.author)}</a></p>
<time datetime="${publishedAt.toISOString()}">${publishedAt.toUTCString()}</time>
${originally ? `<p class="syndication">This story was first published by ${esc(originally)}.</p>\n` : ''}<div class="story-body">
${story.paragraphs.map((p, i) => `<p>${esc(p)}</p>${i === 2 ? '\n<div class="promo"><a href="/subscribe">Subscribe for unlimited access</a></div>' : ''}`).join('\n')}
</div></article>
<aside class="related"><h2>More from ${esc(name)}</h2><ul>${Array.from({ length: 12 }, (_, i) => link(i)).join('')}</ul></aside></main>`;
  const foot = `<footer><ul>${Array.from({ length: 20 }, (_, i) => `<li><a href="/about/${i}">About ${i}</a></li>`).join('')}</ul><p>© 2026 ${esc(name)}</p></footer>`;
  const pads: string[] = [];
  let size = head.length + body.length + foot.length;
  for (let n = 0; size < item.padTo; n++) {
    const block = n % 3 === 0
      ? `<section class="more"><h3>Most read</h3><ul>${Array.from({ length: 15 }, (_, i) => link(100 + n * 15 + i)).join('')}</ul></section>`
      : n % 3 === 1
        ? `<section class="comments">${Array.from({ length: 6 }, () => `<div class="comment"><b>reader${Math.floor(rnd() * 9999)}</b><p>${esc(sentences[Math.floor(rnd() * sentences.length)]!)}</p></div>`).join('')}</section>`
        : `<script>window.__DATA_${n}__=${JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ id: `${item.id}-${n}-${i}`, w: Math.floor(rnd() * 1e6), t: 'teaser' })))};</script>`;
    pads.push(block);
    size += block.length;
  }
  return `${head}\n${body}\n${pads.join('\n')}\n${foot}</body></html>\n`;
}
