import { describe, expect, it } from 'vitest';
import { checkPage } from '../../../stages/fetch/check-page.js';

const url = 'https://news.example/a/1';
const page = (status: number, headers: Record<string, string>, body: string | Buffer = '<html><body>hi</body></html>') => ({
  status,
  url,
  headers,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});

describe('checkPage', () => {
  it.each(['text/html; charset=utf-8', 'TEXT/HTML', 'application/xhtml+xml'])('passes a 200 answered %s', (type) => {
    expect(checkPage(page(200, { 'content-type': type }))).toEqual({ kind: 'page', url, contentType: type, body: Buffer.from('<html><body>hi</body></html>') });
  });

  it('passes a page without a content type that starts like HTML', () => {
    const out = checkPage(page(200, {}, '\n<!-- cms -->\n<!DOCTYPE html><html><p>x</p></html>'));
    expect(out).toMatchObject({ kind: 'page', contentType: 'text/html' });
  });

  it('skips a page without a content type that does not look like HTML, with its reason', () => {
    expect(checkPage(page(200, {}, '%PDF-1.7 ...'))).toEqual({ kind: 'skipped', reason: 'not-html', detail: `GET ${url} answered no content type, not HTML` });
  });

  it.each(['application/pdf', 'image/jpeg', 'video/mp4'])('skips a %s article with its reason instead of parsing it', (type) => {
    expect(checkPage(page(200, { 'content-type': type }, '%PDF-1.7'))).toEqual({ kind: 'skipped', reason: 'not-html', detail: `GET ${url} answered ${type}, not HTML` });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('fails retryably on %i', (status) => {
    expect(() => checkPage(page(status, { 'content-type': 'text/html' }))).toThrow(
      expect.objectContaining({ code: 'NL_HTTP_STATUS', retryable: true, message: `GET ${url} answered ${status}` }),
    );
  });

  it.each([304, 400, 401, 403, 404, 410, 451, 501])('fails permanently on %i', (status) => {
    expect(() => checkPage(page(status, { 'content-type': 'text/html' }))).toThrow(
      expect.objectContaining({ code: 'NL_HTTP_STATUS', retryable: false }),
    );
  });

  it.each(['', '  \r\n\t ', '\ufeff'])('rejects an empty or blank body (%j)', (body) => {
    expect(() => checkPage(page(200, { 'content-type': 'text/html' }, body))).toThrow(
      expect.objectContaining({ code: 'NL_EMPTY_BODY', retryable: false }),
    );
  });
});
