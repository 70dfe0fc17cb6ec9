/** Catalogue P1: XML bombs and external entities, each followed by real items ("feed items still parsed after prep"). */
export interface XmlBomb {
  id: string;
  title: string;
  xml: string;
  /** Items that must still come out (0: a refusal is fine). */
  minItems: number;
  /** The last bomb closes the shared parser thread. */
  last?: boolean;
}

const items = (origin: string, title = 'Plain item') =>
  [1, 2, 3].map((i) => `<item><title>${title} ${i}</title><link>${origin}/item/${i}</link><guid>${origin}/item/${i}</guid></item>`).join('');

export function xmlBombs(origin: string): XmlBomb[] {
  const lol = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  const laughs = `<!DOCTYPE rss [${lol.join('')}]>`;
  const big = 'a'.repeat(100_000);
  return [
    {
      id: 'P1lol', title: 'billion laughs in element text', minItems: 3,
      xml: `<?xml version="1.0"?>${laughs}<rss version="2.0"><channel><title>&lol9;</title>${items(origin, '&lol9;')}</channel></rss>`,
    },
    {
      id: 'P1attr', title: 'billion laughs in an attribute', minItems: 3,
      xml: `<?xml version="1.0"?>${laughs}<rss version="2.0"><channel><title a="&lol9;">t</title>${items(origin).replace(/<link>/g, '<link a="&lol9;">')}</channel></rss>`,
    },
    {
      id: 'P1quad', title: 'quadratic blowup 100 KB × 50k refs', minItems: 3,
      xml: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "${big}">]><rss version="2.0"><channel><title>${'&a;'.repeat(50_000)}</title>${items(origin)}</channel></rss>`,
    },
    {
      id: 'P1xxe', title: 'XXE file:///etc/passwd', minItems: 3,
      xml: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title>${items(origin, '&xxe;')}</channel></rss>`,
    },
    {
      id: 'P1http', title: 'XXE http (public + canary)', minItems: 3,
      xml: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e1 SYSTEM "${origin}/xxe"><!ENTITY e2 SYSTEM "http://127.0.0.1:8080/xxe">]><rss version="2.0"><channel><title>&e1;&e2;</title>${items(origin, '&e1;')}</channel></rss>`,
    },
    {
      id: 'P1param', title: 'XXE parameter entity', minItems: 3,
      xml: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "${origin}/xxe-param"> %p; <!ENTITY % q SYSTEM "http://169.254.169.254:8080/x"> %q;]><rss version="2.0"><channel><title>t</title>${items(origin)}</channel></rss>`,
    },
    {
      id: 'P1dtd', title: 'external DTD', minItems: 3,
      xml: `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "${origin}/xxe-dtd"><rss version="2.0"><channel><title>&ext;</title>${items(origin)}</channel></rss>`,
    },
    {
      id: 'P1atom', title: 'billion laughs in Atom', minItems: 1, last: true,
      xml: `<?xml version="1.0"?>${laughs.replace('rss', 'feed')}<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title><entry><title>&lol9;</title><id>${origin}/a</id><link href="${origin}/a"/><updated>2026-12-01T00:00:00Z</updated></entry></feed>`,
    },
  ];
}
