import type { EnrichmentStage } from '../stage.js';
import { detectLanguage } from '../detect-language.js';

/**
 * ISO 639-1 language of the article: detected from title and text with eld, reconciled with the
 * declared `<html lang>` that extraction left in `article.language` (see detectLanguage for the
 * rule). The title is included so very short texts still have something to detect from.
 */
export const languageStage: EnrichmentStage = {
  name: 'language',
  version: '1',
  writes: ['language'],
  readsTerms: false,
  run(article) {
    return { language: detectLanguage(`${article.title}\n\n${article.text}`, article.language) };
  },
};
