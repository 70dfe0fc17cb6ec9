import { chromium, type Browser } from 'playwright-core';
import type { HostileSite } from './hostile-site.js';
import { BEACON } from './xss-payloads.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface RenderOutcome {
  url: string;
  /** alert/confirm/prompt dialogs and beacon requests: a script ran. */
  executions: number;
  /** What could still run on a click or hover: on* attributes, javascript:/vbscript:/data: URLs, script-capable elements. */
  latent: string[];
}

/** Finds what in the rendered DOM could run script later (a user's click), whatever did not run on load. */
const LATENT_PROBE = `(() => {
  const out = [];
  const bad = /^[\\s\\u0000-\\u001f]*(javascript|vbscript|data):/i;
  for (const el of document.querySelectorAll('article *')) {
    const tag = el.localName;
    if (['script', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'form', 'applet', 'portal', 'link', 'style'].includes(tag)) out.push('<' + tag + '>');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) out.push(tag + '[' + a.name + ']');
      else if (['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'data', 'srcdoc', 'poster', 'srcset', 'values', 'to'].includes(a.name) && (bad.test(a.value) || a.name === 'srcdoc'))
        out.push(tag + '[' + a.name + '=' + a.value.slice(0, 40) + ']');
    }
  }
  return out;
})()`;

const BATCH = 20;

/**
 * Opens the URLs in headless Chromium (playwright-core with the system's /usr/bin/chromium), 20 at a
 * time as same-origin iframes of one page, and counts script executions: dialogs opened and requests
 * to the beacon, on load, after pointer moves and a focus sweep, and a moment for timers and SVG
 * animations. A batch where something ran is opened again one URL at a time, to name the culprit.
 */
export async function renderInChromium(site: HostileSite, urls: string[]): Promise<RenderOutcome[]> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const context = await browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss().catch(() => {});
    });
    const visit = async (target: string, frames: string[]): Promise<{ executions: number; latent: Map<string, string[]> }> => {
      const before = dialogs + countBeacons(site);
      await page.goto(target, { waitUntil: 'load', timeout: 30_000 }).catch(() => {});
      await page.mouse.move(5, 5).catch(() => {});
      await page.mouse.move(400, 300).catch(() => {});
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab').catch(() => {});
      await page.waitForTimeout(300);
      const latent = new Map<string, string[]>();
      for (const f of page.frames()) {
        if (!frames.includes(f.url())) continue;
        latent.set(f.url(), (await f.evaluate(LATENT_PROBE).catch(() => ['(frame gone)'])) as string[]);
      }
      for (const u of frames) if (!latent.has(u)) latent.set(u, ['(frame not found: navigated away?)']);
      return { executions: dialogs + countBeacons(site) - before, latent };
    };
    const results: RenderOutcome[] = [];
    for (let b = 0; b * BATCH < urls.length; b++) {
      const batch = urls.slice(b * BATCH, (b + 1) * BATCH);
      const path = `/render-batch/${b}`;
      site.route(path, (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!doctype html><html><body>${batch.map((u) => `<iframe src="${u}" width="400" height="200"></iframe>`).join('')}</body></html>`,
        ),
      );
      const together = await visit(`${site.origin}${path}`, batch);
      if (together.executions === 0) {
        for (const u of batch) results.push({ url: u, executions: 0, latent: together.latent.get(u) ?? [] });
        continue;
      }
      for (const u of batch) {
        const alone = await visit(u, [u]);
        results.push({ url: u, executions: alone.executions, latent: alone.latent.get(u) ?? [] });
      }
    }
    await context.close();
    return results;
  } finally {
    await browser.close();
  }
}

function countBeacons(site: HostileSite): number {
  return ['', '.js', '.css', '.png', '.html', '.sct'].reduce((n, ext) => n + site.hits(`${BEACON}${ext}`), 0);
}

/** Whole-document probe for newsloom's own pages: inline handlers and script URLs (their own <script src> is allowed). */
const PAGE_PROBE = `(() => {
  const out = [];
  const bad = /^[\\s\\u0000-\\u001f]*(javascript|vbscript|data):/i;
  for (const el of document.querySelectorAll('*')) {
    if (el.localName === 'script' && !el.src) out.push('inline <script>');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) out.push(el.localName + '[' + a.name + ']');
      else if (['href', 'src', 'action', 'formaction', 'srcdoc'].includes(a.name) && bad.test(a.value)) out.push(el.localName + '[' + a.name + ']');
    }
  }
  return out;
})()`;

/**
 * Opens newsloom's own pages (status page, Bull Board, JSON APIs) one by one and counts dialogs and
 * beacon requests; `probe` lists inline handlers and script URLs where a page promises none.
 */
export async function openOwnPages(site: HostileSite, urls: Array<{ url: string; probe: boolean }>): Promise<RenderOutcome[]> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const page = await (await browser.newContext()).newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss().catch(() => {});
    });
    const results: RenderOutcome[] = [];
    for (const { url, probe } of urls) {
      const before = dialogs + countBeacons(site);
      await page.goto(url, { waitUntil: 'load', timeout: 30_000 }).catch(() => {});
      await page.waitForTimeout(1_500); // Bull Board renders after its API calls
      await page.mouse.move(400, 300).catch(() => {});
      const latent = probe ? ((await page.evaluate(PAGE_PROBE).catch(() => ['(page gone)'])) as string[]) : [];
      results.push({ url, executions: dialogs + countBeacons(site) - before, latent });
    }
    return results;
  } finally {
    await browser.close();
  }
}
