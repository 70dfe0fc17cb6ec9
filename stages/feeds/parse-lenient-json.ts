/**
 * JSON.parse, and when that fails, the first JSON object in the text: junk before it (a PHP
 * warning) and after it (debug output) is dropped, and a truncated one is cut back to its last
 * complete member and closed. Throws JSON.parse's error when nothing can be saved.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    const start = text.search(/\{\s*"/);
    if (start < 0) throw first;
    const repaired = completeObject(text, start);
    if (repaired === null) throw first;
    try {
      return JSON.parse(repaired);
    } catch {
      throw first;
    }
  }
}

/**
 * The object starting at `start`: up to its closing brace, or, when the text ends first, up to
 * the last value that ended inside an array or object, with the brackets still open closed.
 */
function completeObject(text: string, start: number): string | null {
  const open: string[] = [];
  let inString = false;
  let lastCut: { at: number; closers: string } | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      open.pop();
      if (open.length === 0) return text.slice(start, i + 1);
      // A complete member just ended: a safe place to cut a truncated document.
      lastCut = { at: i + 1, closers: [...open].reverse().join('') };
    }
  }
  return lastCut === null ? null : text.slice(start, lastCut.at) + lastCut.closers;
}
