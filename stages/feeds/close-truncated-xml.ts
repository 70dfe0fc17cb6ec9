// Start and end tags, with comments, CDATA, PIs and declarations matched whole so that what
// they contain is not taken for tags.
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<(\/?)([^\s/>]+)[^>]*?(\/?)>/g;
const ENTRY = /^(?:[\w.-]+:)?(?:item|entry)$/;

/**
 * A cut-off document (a proxy or CMS that stopped mid-write) made well-formed: everything after
 * the last complete tag is dropped, an unfinished item or entry is dropped whole, and the
 * elements still open are closed.
 */
export function closeTruncatedXml(text: string): string {
  const open: Array<{ name: string; at: number }> = [];
  let end = 0;
  for (const m of text.matchAll(TOKEN)) {
    end = m.index + m[0].length;
    const [, closing, name, selfClosing] = m;
    if (name === undefined || selfClosing === '/') continue;
    if (closing !== '/') {
      open.push({ name, at: m.index });
      continue;
    }
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i]!.name === name) {
        open.length = i;
        break;
      }
    }
  }
  let keep = end;
  const firstEntry = open.findIndex((e) => ENTRY.test(e.name));
  if (firstEntry >= 0) {
    keep = open[firstEntry]!.at;
    open.length = firstEntry;
  }
  return text.slice(0, keep) + open.map((e) => `</${e.name}>`).reverse().join('');
}
