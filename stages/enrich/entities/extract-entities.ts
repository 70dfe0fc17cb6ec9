import type { Entities } from '../../article.js';
import { bioSpans } from './bio-spans.js';
import { groupEntities, type Mention } from './group-entities.js';
import type { NerBundle } from './load-ner-model.js';
import { tagDocument } from './tag-document.js';
import { sentenceCase } from './token-features.js';
import { tokenizeText, type TextToken } from './tokenize-text.js';

/**
 * Finds the people, organisations, places and other names in an English title and text (text
 * paragraphs separated by blank lines). A Title-Cased Or ALL-CAPS headline hides which words are
 * names, and the tagger reads one as a single long title; from such a headline only names the
 * body also mentions are kept.
 */
export function extractEntities(title: string, text: string, bundle: NerBundle): Entities {
  const full = title ? `${title}\n\n${text}` : text;
  const sentences = tokenizeText(full);
  const titleEnd = title ? title.length : 0;
  const tags = tagDocument(bundle, sentences.map((s) => s.map((t) => t.text)));
  const mentions: (Mention & { inTitle: boolean; headline: boolean })[] = [];
  sentences.forEach((tokens: TextToken[], i) => {
    const inTitle = tokens[0]!.start < titleEnd;
    const headline = inTitle && sentenceCase(tokens.map((t) => t.text)) !== '';
    for (const span of bioSpans(tags[i]!)) {
      const name = full.slice(tokens[span.start]!.start, tokens[span.end - 1]!.end);
      mentions.push({ text: name, type: span.type as Mention['type'], inTitle, headline });
    }
  });
  const inBody = new Set(mentions.filter((m) => !m.inTitle).map((m) => m.text));
  return groupEntities(mentions.filter((m) => !m.headline || inBody.has(m.text)));
}
