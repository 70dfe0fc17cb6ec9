import { describe, expect, it } from 'vitest';
import { closeTruncatedXml } from '../../../stages/feeds/close-truncated-xml.js';
import { repairXml } from '../../../stages/feeds/repair-xml.js';

describe('repairXml', () => {
  it.each([
    ['escapes a bare &', '<rss><title>A & B</title></rss>', '<rss><title>A &amp; B</title></rss>'],
    ['keeps XML and numeric references', '<rss>&amp;&lt;&#233;&#xE9;</rss>', '<rss>&amp;&lt;&#233;&#xE9;</rss>'],
    ['turns HTML named entities into numeric ones', '<rss>&nbsp;&eacute;&mdash;&euro;</rss>', '<rss>&#160;&#233;&#8212;&#8364;</rss>'],
    ['keeps an unknown entity as literal text', '<rss>&lol9;</rss>', '<rss>&amp;lol9;</rss>'],
    ['replaces references to characters XML forbids', '<rss>&#0;&#xD800;&#x110000;</rss>', '<rss>&#xFFFD;&#xFFFD;&#xFFFD;</rss>'],
    ['escapes a < that starts no tag', '<rss><title>1 < 2 <= 3</title></rss>', '<rss><title>1 &lt; 2 &lt;= 3</title></rss>'],
    ['strips control characters', '<rss><title>a\u0000b\u000bc\u001fd\tok</title></rss>', '<rss><title>abcd\tok</title></rss>'],
    ['leaves CDATA alone', '<rss><![CDATA[Tom & Jerry &nbsp; <b>]]></rss>', '<rss><![CDATA[Tom & Jerry &nbsp; <b>]]></rss>'],
    ['leaves comments alone', '<rss><!-- a & b --></rss>', '<rss><!-- a & b --></rss>'],
    ['cuts junk before <?xml', 'Notice: x in y.php\n<?xml version="1.0"?><rss/>', '<?xml version="1.0"?><rss/>'],
    ['cuts junk before the root without a declaration', '<b>Warning</b>: z\n<feed xmlns="http://www.w3.org/2005/Atom"/>', '<feed xmlns="http://www.w3.org/2005/Atom"/>'],
    ['ignores <?xml inside CDATA after the root', '<rss><![CDATA[<?xml x?>]]></rss>', '<rss><![CDATA[<?xml x?>]]></rss>'],
    ['drops a DOCTYPE with an internal subset', '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "]>">]><rss>&a;</rss>', '<?xml version="1.0"?><rss>&amp;a;</rss>'],
    ['strips a leading byte-order mark', '\ufeff<rss/>', '<rss/>'],
  ])('%s', (_name, input, expected) => {
    expect(repairXml(input)).toBe(expected);
  });

  it('finishes quickly on a DOCTYPE that never closes', () => {
    const started = Date.now();
    const out = repairXml(`<!DOCTYPE x ${'[a]'.repeat(50_000)}`);
    expect(Date.now() - started).toBeLessThan(500);
    expect(out).toBe('');
  });
});

describe('closeTruncatedXml', () => {
  it('closes open elements after the last complete tag', () => {
    expect(closeTruncatedXml('<rss><channel><title>Cut</title><description>Half a sen')).toBe(
      '<rss><channel><title>Cut</title><description></description></channel></rss>',
    );
  });

  it('drops an unfinished item or entry whole', () => {
    expect(closeTruncatedXml('<rss><channel><item><link>a</link></item><item><title>Ha')).toBe(
      '<rss><channel><item><link>a</link></item></channel></rss>',
    );
    expect(closeTruncatedXml('<feed><entry><id>1</id></entry><entry><id>2</id><li')).toBe('<feed><entry><id>1</id></entry></feed>');
  });

  it('does not take tags inside CDATA or comments for elements', () => {
    expect(closeTruncatedXml('<rss><title><![CDATA[<b>bold]]></title><!-- <item> --><chan')).toBe(
      '<rss><title><![CDATA[<b>bold]]></title><!-- <item> --></rss>',
    );
  });

  it('leaves a complete document as it was', () => {
    const doc = '<?xml version="1.0"?><rss version="2.0"><channel><item/></channel></rss>';
    expect(closeTruncatedXml(doc)).toBe(doc);
  });
});
