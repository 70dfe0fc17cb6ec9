/** A direct quotation's text and where its marks sit: `open` at the opening mark, `close` just past the closing one. */
export interface QuoteSpan {
  readonly text: string;
  readonly open: number;
  readonly close: number;
}

const OPENING = new Set(['“', '„', '«']);
const CLOSING = new Set(['”', '»']);

/**
 * Double-quoted spans of a text, curly («» and „“ too) or straight; a straight mark opens after
 * a space, a line start or an opening bracket and closes otherwise. A quote running past a line
 * end continues only when the next paragraph opens with a quote mark again (the multi-paragraph
 * convention, e.g. AP style); otherwise the stray mark is dropped. Single quotes are not
 * quotations here: they collide with apostrophes and mostly mark quotes within quotes.
 */
export function findQuoteSpans(text: string): QuoteSpan[] {
  const out: QuoteSpan[] = [];
  let open = -1;
  let parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (open < 0) {
      if (OPENING.has(ch) || (ch === '"' && opensStraight(text, i))) {
        open = i;
        from = i + 1;
        parts = [];
      }
      continue;
    }
    if (CLOSING.has(ch) || ch === '"') {
      parts.push(text.slice(from, i));
      out.push({ text: clean(parts.join(' ')), open, close: i + 1 });
      open = -1;
    } else if (ch === '\n') {
      const next = /^\n\s*/.exec(text.slice(i))![0].length + i;
      if (OPENING.has(text[next] ?? '') || text[next] === '"') {
        parts.push(text.slice(from, i));
        from = next + 1;
        i = next;
      } else {
        open = -1;
      }
    }
  }
  return out;
}

function opensStraight(text: string, at: number): boolean {
  return at === 0 || /[\s(\[—–-]/.test(text[at - 1]!);
}

/** Trims spaces and the comma that hands over to the attribution ("…,” she said"). */
function clean(quote: string): string {
  return quote.replace(/\s+/g, ' ').trim().replace(/,$/, '');
}
