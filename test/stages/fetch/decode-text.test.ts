import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, type TextKind } from '../../../stages/fetch/decode-text.js';

const bytes = (...parts: Array<string | number[] | Buffer>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const html = (head: string, body: Buffer | number[]) => bytes(`<html><head>${head}</head><body>`, body, '</body></html>');

describe('decodeText', () => {
  const cases: Array<[name: string, input: Buffer, contentType: string | null, kind: TextKind, expected: string]> = [
    ['a UTF-8 BOM wins over the HTTP charset', bytes([0xef, 0xbb, 0xbf], 'caf', [0xc3, 0xa9]), 'text/html; charset=iso-8859-1', 'html', 'café'],
    ['a UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('<p>Grüße</p>', 'utf-16le')]), null, 'html', '<p>Grüße</p>'],
    ['a UTF-16BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode('<rss>ž</rss>', 'utf-16be')]), 'text/xml; charset=utf-8', 'xml', '<rss>ž</rss>'],
    ['BOM-less UTF-16LE by its zero bytes', iconv.encode('<?xml version="1.0"?><rss/>', 'utf-16le'), null, 'xml', '<?xml version="1.0"?><rss/>'],
    ['BOM-less UTF-16BE by its zero bytes', iconv.encode('{"a":"ü"}', 'utf-16be'), null, 'json', '{"a":"ü"}'],
    ['the HTTP charset beats <meta charset>', html('<meta charset="windows-1252">', [0xc3, 0xa9]), 'text/html; charset=UTF-8', 'html', 'é'],
    ['a quoted HTTP charset', html('', [0xe9]), 'text/html; charset="windows-1252"', 'html', 'é'],
    ['windows-1252 curly quotes from 0x93/0x94', html('<meta charset="windows-1252">', [0x93, 0x68, 0x69, 0x94]), null, 'html', '“hi”'],
    ['iso-8859-1 is read as windows-1252, as browsers do', html('', [0x93, 0x97, 0x94]), 'text/html; charset=ISO-8859-1', 'html', '“—”'],
    ['<meta charset=shift_jis>', html('<meta charset=shift_jis>', iconv.encode('日本語', 'shift_jis')), 'text/html', 'html', '日本語'],
    ['<meta http-equiv content-type> with iso-8859-1', html('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', [0xfc]), null, 'html', 'ü'],
    ['the XML declaration', bytes('<?xml version="1.0" encoding="windows-1252"?><rss>', [0x80], '</rss>'), 'application/rss+xml', 'xml', '€'],
    ['an XML declaration after a PHP warning', bytes('<b>Warning</b>: x\n<?xml version="1.0" encoding="windows-1252"?><rss>', [0x93], '</rss>'), null, 'xml', '“'],
    ['a <meta> declaration is ignored in XML', bytes('<?xml version="1.0"?><rss><meta charset="koi8-r"/>caf', [0xc3, 0xa9], '</rss>'), null, 'xml', 'café'],
    ['valid UTF-8 without any declaration', html('', [0xe2, 0x82, 0xac]), null, 'html', '€'],
    ['invalid UTF-8 falls back to windows-1252', html('', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x85]), null, 'html', 'café …'],
    ['an unknown HTTP charset falls through to the document', html('<meta charset="iso-8859-15">', [0xa4]), 'text/html; charset=x-klingon', 'html', '€'],
    ['an unknown declared charset falls through to UTF-8', html('<meta charset="utf-klingon">', [0xc3, 0xa9]), null, 'html', 'é'],
    ['UTF-16 declared in an ASCII document means UTF-8', html('<meta charset="utf-16">', [0xc3, 0xa9]), null, 'html', 'é'],
    ['UTF-7 is never used', html('', Buffer.from('+ADw-script+AD4-')), 'text/html; charset=utf-7', 'html', '+ADw-script+AD4-'],
    ['JSON ignores in-document declarations', bytes('{"x":"<?xml encoding=\\"koi8-r\\"?>', [0xc3, 0xa9], '"}'), null, 'json', '{"x":"<?xml encoding=\\"koi8-r\\"?>é"}'],
  ];

  it.each(cases)('decodes %s', (_name, input, contentType, kind, expected) => {
    expect(decodeText(input, contentType, kind)).toContain(expected);
  });

  it('drops the byte-order mark from the text', () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], '<rss/>'), null, 'xml')).toBe('<rss/>');
  });

  it('replaces undecodable bytes instead of throwing', () => {
    expect(decodeText(bytes('a', [0xff, 0xfe, 0xfd]), 'text/html; charset=utf-8', 'html')).toBe('a\ufffd\ufffd\ufffd');
    expect(decodeText(Buffer.alloc(0), 'text/html; charset=', 'html')).toBe('');
  });
});
