import { describe, expect, it } from 'vitest';
import { parseLenientJson } from '../../../stages/feeds/parse-lenient-json.js';

describe('parseLenientJson', () => {
  it('reads valid JSON as JSON.parse does', () => {
    expect(parseLenientJson('{"a":[1,2]}')).toEqual({ a: [1, 2] });
  });

  it('drops junk before and after the object, braces inside strings included', () => {
    expect(parseLenientJson('Notice: x\n{"a":"}{"}\n<!-- 3ms -->')).toEqual({ a: '}{' });
  });

  it('cuts a truncated object back to its last complete member and closes it', () => {
    expect(parseLenientJson('{"items":[{"id":1},{"id":2},{"id"')).toEqual({ items: [{ id: 1 }, { id: 2 }] });
  });

  it('throws JSON.parse\'s error when nothing can be saved', () => {
    expect(() => parseLenientJson('not json')).toThrow(SyntaxError);
  });
});
