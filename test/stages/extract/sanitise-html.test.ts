import { JSDOM } from 'jsdom';
import { parseHTML } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import { sanitiseHtml } from '../../../stages/extract/sanitise-html.js';

const PAGE = 'https://news.example/world/2024/story.html';
const ALLOWED_TAGS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'br', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'dl', 'dt', 'dd', 'a', 'em', 'strong', 'b', 'i', 'sub', 'sup', 'img']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'src', 'alt', 'colspan', 'rowspan', 'scope']);

// The classes of DOMPurify's own test suite (test/fixtures/expect.mjs) and the OWASP filter-evasion sheet.
const XSS_PAYLOADS: [string, string][] = [
  ['script element', '<script>alert(1)</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror without src value', '<img src=/ onerror="alert(1)">'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['script inside svg', '<svg><script>alert(1)</script></svg>'],
  ['svg animate onbegin', '<svg><animate onbegin=alert(1) attributeName=x dur=1s>'],
  ['svg xlink:href javascript:', '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['iframe javascript: src', '<iframe src="javascript:alert(1)"></iframe>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href javascript:', '<base href="javascript:alert(1)//"><a href="/x">x</a>'],
  ['form action', '<form action="javascript:alert(1)"><input type="submit" value="go"></form>'],
  ['button formaction', '<form><button formaction="javascript:alert(1)">x</button></form>'],
  ['javascript: link', '<a href="javascript:alert(1)">x</a>'],
  ['javascript: in mixed case', '<a href="JaVaScRiPt:alert(1)">x</a>'],
  ['javascript: as decimal entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
  ['javascript: as padded entities without semicolons', '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'],
  ['javascript: as hex entities', '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>'],
  ['javascript: split by an encoded tab', '<a href="java&#x09;script:alert(1)">x</a>'],
  ['javascript: split by an encoded newline', '<a href="java&#10;script:alert(1)">x</a>'],
  ['javascript: split by an encoded carriage return', '<a href="jav&#x0D;ascript:alert(1)">x</a>'],
  ['javascript: after leading spaces', '<a href="   javascript:alert(1)">x</a>'],
  ['javascript: after a control character', '<a href="&#1;javascript:alert(1)">x</a>'],
  ['vbscript: link', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data: text/html link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['data: svg image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['javascript: image src', '<img src="javascript:alert(1)">'],
  ['javascript: in srcset', '<img src="/ok.jpg" srcset="javascript:alert(1) 1x">'],
  ['object data: URL', '<object data="data:text/html,<script>alert(1)</script>"></object>'],
  ['embed javascript:', '<embed src="javascript:alert(1)">'],
  ['style attribute url(javascript:)', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['style attribute expression()', '<div style="width: expression(alert(1))">x</div>'],
  ['style element @import', '<style>@import "javascript:alert(1)";</style><p>x</p>'],
  ['link stylesheet', '<link rel="stylesheet" href="javascript:alert(1)">'],
  ['table background', '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'],
  ['details ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['body onload', '<body onload=alert(1)>x</body>'],
  ['video source onerror', '<video><source onerror=alert(1)></video>'],
  ['input onfocus autofocus', '<input autofocus onfocus=alert(1)>'],
  ['p onmouseover', '<p onmouseover="alert(1)">x</p>'],
  ['link onclick', '<a href="#" onclick="alert(1)">x</a>'],
  ['unknown element onfocusin', '<xss id=x tabindex=1 onfocusin=alert(1)>x</xss>'],
  ['template script', '<template><script>alert(1)</script></template>'],
  ['noscript mXSS', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['math style mXSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['form/math namespace confusion mXSS', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>'],
  ['comment-split javascript:', '<a href="javas<!-- -->cript:alert(1)">x</a>'],
  ['DOM clobbering id and name', '<a id="cookie" name="cookie" href="/x">x</a><form name="body"></form>'],
  ['isindex onerror', '<isindex type=image src=1 onerror=alert(1)>'],
  ['marquee onstart', '<marquee onstart=alert(1)>x</marquee>'],
];

const jsdomPage = new JSDOM('<!doctype html><html><body></body></html>', { url: PAGE });
const linkedomPage = parseHTML('<!doctype html><html><body></body></html>').window;
afterAll(() => jsdomPage.window.close());

// Parsed back with a spec-conformant parser: what a browser would build from the output.
function problemsIn(html: string): string[] {
  const dom = new JSDOM(`<!doctype html><body>${html}</body>`);
  const problems: string[] = [];
  for (const el of dom.window.document.body.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) problems.push(`<${tag}>`);
    for (const name of el.getAttributeNames()) {
      const value = el.getAttribute(name) ?? '';
      if (!ALLOWED_ATTRIBUTES.has(name)) problems.push(`${tag}[${name}]`);
      if ((name === 'href' || name === 'src') && !/^(?:https?:\/\/|mailto:)/.test(value)) problems.push(`${tag}[${name}=${value}]`);
      if (/alert|msgbox/.test(value)) problems.push(`${tag}[${name}=${value}]`);
    }
  }
  dom.window.close();
  return problems;
}

describe('sanitiseHtml', () => {
  it.each(XSS_PAYLOADS)('lets nothing of a %s attack through', (name, payload) => {
    const out = sanitiseHtml(`<p>Before.</p>${payload}<p>After.</p>`, PAGE);
    expect(problemsIn(out)).toEqual([]);
    expect(out).toContain('<p>Before.</p>');
    // The mXSS payloads leave <noscript>, <math> or <style> open: the HTML parser rightly swallows what follows.
    if (!name.includes('mXSS')) expect(out).toContain('<p>After.</p>');
  });

  it('gives the same output sanitising twice, for every attack and for ordinary markup', () => {
    const ordinary = '<h1>Title</h1><p class="lead">A <a href="../about?x=1&amp;y=2#team">link</a> &amp; <em>emphasis</em> &lt;tag&gt;</p><img src="/a.jpg" alt="A &quot;quoted&quot; alt"><table><tr><th scope="col" colspan="2">Head</th></tr><tr><td rowspan="2">1</td><td>2</td></tr></table>';
    for (const payload of [ordinary, ...XSS_PAYLOADS.map(([, p]) => p)]) {
      const once = sanitiseHtml(payload, PAGE);
      expect(sanitiseHtml(once, PAGE), payload).toBe(once);
    }
  });

  it('makes relative links and image URLs absolute against the page URL', () => {
    const out = sanitiseHtml('<p><a href="/about">a</a> <a href="../2023/old.html?x=1#p2">b</a> <a href="next.html">c</a> <a href="//cdn.example/f">d</a> <a href="#notes">e</a> <a href="mailto:desk@news.example">f</a></p><img src="img/lead.jpg" alt="Lead">', PAGE);
    expect(out).toBe(
      '<p><a href="https://news.example/about">a</a> <a href="https://news.example/world/2023/old.html?x=1#p2">b</a> <a href="https://news.example/world/2024/next.html">c</a> ' +
        '<a href="https://cdn.example/f">d</a> <a href="https://news.example/world/2024/story.html#notes">e</a> <a href="mailto:desk@news.example">f</a></p><img src="https://news.example/world/2024/img/lead.jpg" alt="Lead">',
    );
  });

  it('keeps structure, turns h1 into h2, and drops classes, ids, styles and empty blocks', () => {
    const out = sanitiseHtml('<div class="body" id="main"><h1 class="t">Head</h1><p style="color:red">Text <strong>bold</strong></p><p> </p><p><span></span></p><ul><li>one</li><li></li></ul><blockquote><p>Quote</p></blockquote></div>', PAGE);
    expect(out).toBe('<h2>Head</h2><p>Text <strong>bold</strong></p><ul><li>one</li></ul><blockquote><p>Quote</p></blockquote>');
  });

  it('drops the text of scripts, styles, buttons and form controls but keeps the text of unknown wrappers', () => {
    const out = sanitiseHtml('<p>Kept <span>span</span> <font>font</font></p><button>Share</button><select><option>One</option></select><textarea>typed</textarea><style>p{}</style><script>var x</script>', PAGE);
    expect(out).toBe('<p>Kept span font</p>');
  });

  it('sanitises a jsdom or linkedom element as it does its HTML, leaving the element unchanged', () => {
    const input = `<h1 class="x">T</h1><p onclick="y()">A <a href="/x">link</a>, <em>em</em> and an <img src="a.jpg" alt="A" onerror="z()"> image.</p><ul><li>one</li></ul><table><tbody><tr><td colspan="2">cell</td></tr></tbody></table><script>s()</script>`;
    const expected = sanitiseHtml(input, PAGE);
    const onJsdom = jsdomPage.window.document.createElement('div');
    onJsdom.innerHTML = input;
    const before = onJsdom.innerHTML;
    expect(sanitiseHtml(onJsdom, PAGE)).toBe(expected);
    expect(onJsdom.innerHTML).toBe(before);
    const onLinkedom = linkedomPage.document.createElement('div');
    onLinkedom.innerHTML = input;
    expect(sanitiseHtml(onLinkedom as unknown as Element, PAGE)).toBe(expected);
    const blockquote = jsdomPage.window.document.createElement('blockquote');
    blockquote.innerHTML = '<p>Quoted</p>';
    expect(sanitiseHtml(blockquote, PAGE)).toBe('<p>Quoted</p>');
  });

  it('repairs a linkedom tree as the HTML parser would (row without tbody, block in p, link in link, CRLF, newline after <pre>), so the output parses back to itself', () => {
    const input = '<table><tr><td>a</td></tr></table><p>one<h2>Head</h2>two</p><p><a href="/a">x<a href="/b">y</a></a></p><p>line\r\nbreak</p><pre>\ncode</pre><div><td>cell</td><tr>row</tr></div><table><tr><td>c</td></tr><p>fostered</p></table>';
    const el = linkedomPage.document.createElement('div');
    el.innerHTML = input;
    const out = sanitiseHtml(el as unknown as Element, PAGE);
    expect(sanitiseHtml(out, PAGE)).toBe(out);
    expect(out).toBe(sanitiseHtml(input, PAGE));
    expect(problemsIn(out)).toEqual([]);
  });

  // linkedom's parser is not the HTML5 one (an unclosed <svg> swallows what follows it there, not in a browser),
  // so an element of either DOM is checked on its own, not compared with the parse of the same string.
  describe.each(['jsdom', 'linkedom'] as const)('given a %s element', (dom) => {
    it.each(XSS_PAYLOADS)('lets nothing of a %s attack through', (_, payload) => {
      const document = dom === 'jsdom' ? jsdomPage.window.document : (linkedomPage.document as unknown as Document);
      const el = document.createElement('div');
      el.innerHTML = `<p>Before.</p>${payload}<p>After.</p>`;
      const out = sanitiseHtml(el, PAGE);
      expect(problemsIn(out)).toEqual([]);
      expect(sanitiseHtml(out, PAGE)).toBe(out);
    });
  });

  it('lets nothing through from a tree built by DOM calls that no parser would build (a in a, p in p, img in a)', () => {
    const document = jsdomPage.window.document;
    const root = document.createElement('div');
    const outer = root.appendChild(document.createElement('p'));
    const inner = outer.appendChild(document.createElement('p'));
    const link = inner.appendChild(document.createElement('a'));
    link.setAttribute('href', 'java\tscript:alert(1)');
    const nested = link.appendChild(document.createElement('a'));
    nested.setAttribute('href', '/ok');
    nested.setAttribute('onclick', 'alert(1)');
    const img = nested.appendChild(document.createElement('img'));
    img.setAttribute('src', 'data:image/png;base64,AAAA');
    inner.appendChild(document.createTextNode('<img src=x onerror=alert(1)>'));
    const out = sanitiseHtml(root, PAGE);
    expect(problemsIn(out)).toEqual([]);
    expect(sanitiseHtml(sanitiseHtml(out, PAGE), PAGE)).toBe(sanitiseHtml(out, PAGE));
  });
});

describe('sanitiseHtml and customised built-ins', () => {
  it('keeps the content of an element carrying an `is` attribute, without the attribute', async () => {
    const { sanitiseHtml } = await import('../../../stages/extract/sanitise-html.js');
    const out = sanitiseHtml('<div is="x-article"><p>Hello world text</p></div><p>after</p>', 'https://news.example/a');
    expect(out).toContain('<p>Hello world text</p>');
    expect(out).toContain('<p>after</p>');
    expect(out).not.toContain(' is=');
  });
});
