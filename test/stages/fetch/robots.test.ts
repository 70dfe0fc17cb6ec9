import { describe, expect, it } from 'vitest';
import { parseRobots, productToken, robotsVerdict } from '../../../stages/fetch/robots.js';

const allowed = (text: string, url: string, token = 'newsloom') => robotsVerdict(parseRobots(text), new URL(url), token).allowed;

describe('productToken', () => {
  it('takes the product token of a User-Agent header, lower-cased', () => {
    expect(productToken('newsloom/0.1 (+https://github.com/newsloom/newsloom)')).toBe('newsloom');
    expect(productToken('Mozilla/5.0 (compatible; Googlebot/2.1)')).toBe('mozilla');
    expect(productToken('News_Loom-Bot')).toBe('news_loom-bot');
  });
});

describe('parseRobots and robotsVerdict (RFC 9309)', () => {
  it('allows everything when there are no rules, or only an empty Disallow', () => {
    expect(allowed('', 'https://a.example/x')).toBe(true);
    expect(allowed('User-agent: *\nDisallow:\n', 'https://a.example/x')).toBe(true);
  });

  it('uses the group naming our product token instead of the * group, case-insensitively', () => {
    const text = 'User-agent: *\nDisallow: /\n\nUser-agent: NewsLoom/2.0\nDisallow: /private/\n';
    expect(allowed(text, 'https://a.example/news/1')).toBe(true);
    expect(allowed(text, 'https://a.example/private/1')).toBe(false);
    expect(allowed(text, 'https://a.example/news/1', 'otherbot')).toBe(false);
  });

  it('merges every group that names us, and shares one group among consecutive user-agent lines', () => {
    const text = [
      'User-agent: foo', 'User-agent: newsloom', 'Disallow: /a', '',
      'User-agent: bar', 'Disallow: /c', '',
      'User-agent: newsloom', 'Disallow: /b',
    ].join('\n');
    expect(allowed(text, 'https://a.example/a')).toBe(false);
    expect(allowed(text, 'https://a.example/b')).toBe(false);
    expect(allowed(text, 'https://a.example/c')).toBe(true);
    expect(allowed(text, 'https://a.example/a', 'foo')).toBe(false);
    expect(allowed(text, 'https://a.example/b', 'foo')).toBe(true);
  });

  it('lets the longest matching pattern win, and Allow win a tie', () => {
    const text = 'User-agent: *\nDisallow: /news/\nAllow: /news/public/\nDisallow: /news/public/draft\nAllow: /tie\nDisallow: /tie\n';
    expect(allowed(text, 'https://a.example/news/x')).toBe(false);
    expect(allowed(text, 'https://a.example/news/public/x')).toBe(true);
    expect(allowed(text, 'https://a.example/news/public/drafts')).toBe(false);
    expect(allowed(text, 'https://a.example/tie')).toBe(true);
  });

  it('matches * as any run of characters and a final $ as the end of the path', () => {
    const text = 'User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print\nDisallow: /exact$\n';
    expect(allowed(text, 'https://a.example/files/report.pdf')).toBe(false);
    expect(allowed(text, 'https://a.example/files/report.pdf?x=1')).toBe(true);
    expect(allowed(text, 'https://a.example/2024/story/print')).toBe(false);
    expect(allowed(text, 'https://a.example/exact')).toBe(false);
    expect(allowed(text, 'https://a.example/exactly')).toBe(true);
  });

  it('matches the query string as part of the path', () => {
    expect(allowed('User-agent: *\nDisallow: /search?q=\n', 'https://a.example/search?q=x')).toBe(false);
    expect(allowed('User-agent: *\nDisallow: /search?q=\n', 'https://a.example/search')).toBe(true);
  });

  it('compares percent-encoded and raw UTF-8 paths alike', () => {
    expect(allowed('User-agent: *\nDisallow: /café\n', 'https://a.example/caf%C3%A9/1')).toBe(false);
    expect(allowed('User-agent: *\nDisallow: /caf%c3%a9\n', 'https://a.example/café/1')).toBe(false);
    expect(allowed('User-agent: *\nDisallow: /%7Euser\n', 'https://a.example/~user/')).toBe(false);
  });

  it('always allows /robots.txt itself', () => {
    expect(allowed('User-agent: *\nDisallow: /\n', 'https://a.example/robots.txt')).toBe(true);
  });

  it('skips comments, a BOM, CRLF, unknown fields, sitemaps and rules before any user-agent', () => {
    const text = '\uFEFFDisallow: /orphan\r\n# comment\r\nUser-agent: * # all\r\nSitemap: https://a.example/s.xml\r\nNoindex: /x\r\nDisallow: /private # why\r\n';
    expect(allowed(text, 'https://a.example/orphan')).toBe(true);
    expect(allowed(text, 'https://a.example/private/1')).toBe(false);
    expect(allowed(text, 'https://a.example/x')).toBe(true);
  });

  it('reads crawl-delay in seconds, decimals too, taking the largest of merged groups', () => {
    const text = 'User-agent: newsloom\nCrawl-delay: 2.5\n\nUser-agent: newsloom\nCrawl-delay: 1\nDisallow: /x\n\nUser-agent: *\nCrawl-delay: 30\n';
    expect(robotsVerdict(parseRobots(text), new URL('https://a.example/'), 'newsloom').crawlDelayMs).toBe(2500);
    expect(robotsVerdict(parseRobots(text), new URL('https://a.example/'), 'other').crawlDelayMs).toBe(30_000);
    expect(robotsVerdict(parseRobots('User-agent: *\nCrawl-delay: soon\n'), new URL('https://a.example/'), 'x').crawlDelayMs).toBeNull();
  });

  it('names the deciding rule', () => {
    const v = robotsVerdict(parseRobots('User-agent: *\nDisallow: /news\n'), new URL('https://a.example/news/1'), 'newsloom');
    expect(v).toEqual({ allowed: false, crawlDelayMs: null, rule: 'Disallow: /news' });
  });

  it('matches a hostile many-star pattern against a long path in linear time', () => {
    const text = `User-agent: *\nDisallow: /${'*a'.repeat(200)}b\n`;
    const started = performance.now();
    expect(allowed(text, `https://a.example/${'a'.repeat(5000)}`)).toBe(true);
    // Exponential backtracking would take far longer than this on any machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
