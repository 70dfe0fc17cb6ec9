import type { DnsAnswer, DnsRecord } from './dns-server.js';

/**
 * Catalogue X1/X3/X5: URLs that must be refused before any connection. Hosts without a port use
 * 80, where a canary listens on every address of the lab; the port variants name Redis and
 * PostgreSQL. `kind` groups them in the report.
 */
export interface Vector {
  url: string;
  kind: 'ipv4' | 'ipv6' | 'name' | 'dns' | 'scheme' | 'syntax';
}

const v4 = [
  '127.0.0.1', '127.1', '127.0.1', '0', '0.0.0.0', '0177.0.0.1', '0x7f.1', '0x7f.0.0.1', '0x7f000001', '2130706433',
  '017700000001', '127.000.000.001', '127.0.0.2', '127.255.255.254', '10.0.0.1', '10.1', '167772161', '012.0.0.1',
  '172.16.0.1', '172.31.255.254', '192.168.0.1', '0xc0.0xa8.0.1', '169.254.169.254', '0xa9fea9fe', '2852039166',
  '0251.0376.0251.0376', '169.254.0.1', '100.64.0.1', '198.18.0.1', '192.0.0.1', '192.0.2.1', '224.0.0.1',
  '255.255.255.255', '240.0.0.1', '0.0.0.1',
];
const v6 = [
  '[::1]', '[::]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:127.0.0.1]',
  '[::ffff:169.254.169.254]', '[::ffff:a9fe:a9fe]', '[::ffff:10.0.0.1]', '[64:ff9b::7f00:1]', '[64:ff9b::a9fe:a9fe]',
  '[64:ff9b::10.0.0.1]', '[2002:7f00:1::]', '[2002:a9fe:a9fe::1]', '[::127.0.0.1]', '[fe80::1]', '[fd00::1]',
  '[fc00::1]', '[ff02::1]', '[100::1]', '[2001:db8::1]', '[::ffff:0:7f00:1]', '[64:ff9b:1::7f00:1]',
];
const names = [
  'localhost', 'LOCALHOST.', 'localhost.', 'foo.localhost', 'a.b.LocalHost', '①②⑦.⓪.⓪.①', '１２７.０.０.１', 'user@127.0.0.1',
  'user:pass@[::1]', '127.0.0.1#@5.5.5.5', '127.0.0.1:6379', '127.0.0.1:5432', '[::1]:6379', '10.0.0.1:443',
];
const dnsNames = [
  'loop.test', 'loop6.test', 'meta.test', 'private.test', 'mixed.test', 'mapped.test', 'nat64.test', 'ula.test',
  'zero.test', 'cname.test', 'LOOP.TEST.', 'cgnat.test',
];

export const VECTORS: Vector[] = [
  ...v4.map((h) => ({ url: `http://${h}/ssrf`, kind: 'ipv4' as const })),
  ...v6.map((h) => ({ url: `http://${h}/ssrf`, kind: 'ipv6' as const })),
  ...names.map((h) => ({ url: `http://${h}/ssrf`, kind: 'name' as const })),
  ...dnsNames.map((h) => ({ url: `http://${h}/ssrf`, kind: 'dns' as const })),
  { url: 'http:\\\\127.0.0.1\\ssrf', kind: 'syntax' },
  { url: 'http:/127.0.0.1/ssrf', kind: 'syntax' },
  { url: 'https://127.0.0.1/ssrf', kind: 'syntax' },
  { url: 'file:///etc/passwd', kind: 'scheme' },
  { url: 'ftp://127.0.0.1/ssrf', kind: 'scheme' },
  { url: 'gopher://127.0.0.1:6379/_INFO', kind: 'scheme' },
  { url: 'dict://127.0.0.1:6379/info', kind: 'scheme' },
  { url: 'data:text/html,<h1>x</h1>', kind: 'scheme' },
  { url: 'javascript:alert(1)', kind: 'scheme' },
  { url: 'ws://127.0.0.1/ssrf', kind: 'scheme' },
];

/** The lab's *.test zone: names that resolve to private addresses, one public name, and a rebinding name. */
export function dnsZone(publicHost: string): Map<string, DnsRecord> {
  let flip = 0;
  // Flips on each A query (glibc also asks AAAA, answered empty), so lookups alternate public/private.
  const rebind = (qtype: string): DnsAnswer => ({ addresses: qtype === 'A' ? [flip++ % 2 === 0 ? publicHost : '127.0.0.1'] : [] });
  return new Map<string, DnsRecord>([
    ['public.test', { addresses: [publicHost] }],
    ['loop.test', { addresses: ['127.0.0.1'] }],
    ['loop6.test', { addresses: ['::1'] }],
    ['meta.test', { addresses: ['169.254.169.254'] }],
    ['private.test', { addresses: ['10.0.0.1'] }],
    ['cgnat.test', { addresses: ['100.64.0.1'] }],
    ['mixed.test', { addresses: [publicHost, '127.0.0.1', '::1'] }],
    ['mapped.test', { addresses: ['::ffff:127.0.0.1'] }],
    ['nat64.test', { addresses: ['64:ff9b::7f00:1'] }],
    ['ula.test', { addresses: ['fd00::1'] }],
    ['zero.test', { addresses: ['0.0.0.0'] }],
    ['cname.test', { cname: 'loop.test' }],
    ['rebind.test', rebind],
  ]);
}
