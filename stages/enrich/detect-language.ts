import { eld } from 'eld/medium';

/**
 * ISO 639-1 language of a text, reconciled with what the page declares (`<html lang>`): the
 * declaration wins when detection is unreliable (short text) or agrees; a confident detection
 * overrides a declaration it contradicts (templates often say "en" on every page).
 */
export function detectLanguage(text: string, declared: string | null): string | null {
  const sample = text.slice(0, 4000);
  const declaredCode = declared ? declared.toLowerCase().split(/[-_]/)[0]! : null;
  const validDeclared = declaredCode && /^[a-z]{2}$/.test(declaredCode) ? declaredCode : null;
  if (sample.trim().length < 20) return validDeclared;
  const result = eld.detect(sample);
  if (!result.language) return validDeclared;
  if (result.isReliable()) return result.language;
  return validDeclared ?? result.language;
}
