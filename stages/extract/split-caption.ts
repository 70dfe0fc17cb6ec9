/** A photo caption split into what the picture shows and who made it. */
export interface SplitCaption {
  caption: string | null;
  credit: string | null;
}

// Labels that introduce a credit and are not part of it: "Photo: X" credits X.
const LABEL = String.raw`(?:photo(?:graph)?s?\s+credits?|photo(?:graph)?(?:ed)?\s+by|pictured\s+by|image\s+credits?|picture\s+credits?|credits?|photo(?:graph)?s?|images?|pictures?|pics?|fotos?|bild|source|copyright)`;
// Wire services and picture desks whose name alone marks a credit ("Getty Images", "Jane Doe/AFP").
const AGENCY = String.raw`(?:getty(?:\s+images)?|afp|reuters|ap|associated\s+press|epa(?:-efe)?|efe|dpa|ansa|xinhua|anadolu|shutterstock|alamy|istock(?:photo)?|bloomberg|pa(?:\s+(?:images|wire|media))?|picture[\s-]alliance|imago|keystone|sipa|zuma(?:\s+press)?|nurphoto|sopa\s+images|unsplash|pexels|flickr|wikimedia(?:\s+commons)?|handout|pool|tass|kyodo|yonhap)`;

// "(credit: X)", "(Photo: X)", "(Photo by X)": a labelled credit in parentheses at the end.
const PAREN_LABELLED = new RegExp(String.raw`\(\s*(${LABEL})\s*[:：]?\s*([^()]+?)\s*\)\s*\.?$`, 'i');
// "(AP Photo/John Roe)", "(John Roe/Reuters)", "(Getty Images)": an unlabelled credit in parentheses.
const PAREN_AGENCY = new RegExp(
  String.raw`\(\s*((?:[^()]*\b[A-Z]{2,6}\s+Photo\s*\/[^()]+)|(?:[^()\/]{2,60}\/\s*${AGENCY}\b[^()]*)|(?:[^()]*\b${AGENCY}))\s*\)\s*\.?$`,
  'i',
);
// "… Photo: Jane Doe/Reuters", "… | Credit: X": a labelled credit after the caption (the credit has no colon).
const TAIL_LABELLED = new RegExp(String.raw`(?:^|[\s.;,|–—-])(${LABEL})\s*[:：]\s*([^:：]+)$`, 'i');
// "… Photo by Jane Doe" and "… © Jane Doe 2024": label without a colon.
const TAIL_BY = /(?:^|[\s.;,|–—-])(photo(?:graph)?(?:ed)?\s+by|pictured\s+by|(?:photo\s+)?courtesy(?:\s+of)?|©|\(c\)|copyright\s+©?)\s*([^:：]+)$/i;
// "… AP Photo/John Roe": the AP style, where the label is part of the credit.
const TAIL_AP_STYLE = /(?:^|\s)([A-Z]{2,6}\s+Photos?\s*\/\s*[^/]+(?:\/[^/]+)?)$/;
// A last segment that is only a credit: "Jane Doe/Reuters", "AFP via Getty Images", "Reuters".
const AGENCY_SEGMENT = new RegExp(
  String.raw`^(?:[\p{L}][\p{L}.'’ -]{0,60}\s*\/\s*[\p{L}][\p{L}&.'’ -]{1,50}(?:\s+via\s+[\p{L} ]+)?|(?:[\p{L}][\p{L}.'’ -]{0,40}\s+(?:for|via)\s+)?${AGENCY}(?:\s+(?:via|\/)\s+${AGENCY})?(?:\s+(?:file|photo|images?))?)$`,
  'iu',
);

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();
// Separators left dangling once the credit is cut off: "Caption text |", "Caption —".
const trimCaption = (s: string): string | null => {
  const out = clean(s).replace(/[\s|–—:;,-]+$/u, '').trim();
  return out.length > 0 ? out : null;
};
const trimCredit = (s: string): string | null => {
  const out = clean(s).replace(/^[\s:：|–—-]+/u, '').replace(/[\s.;,|]+$/u, '').trim();
  return out.length > 0 ? out : null;
};

/** Split "Caption. (credit: X/REUTERS)" or "Caption. Photo: X" into caption and credit; either may be null. */
export function splitCaption(raw: string): SplitCaption {
  const text = clean(raw);
  if (!text) return { caption: null, credit: null };
  const labelled = PAREN_LABELLED.exec(text);
  if (labelled) return cut(text, labelled.index, labelled[2] ?? '');
  const agency = PAREN_AGENCY.exec(text);
  if (agency) return cut(text, agency.index, agency[1] ?? '');
  const tail = TAIL_LABELLED.exec(text);
  if (tail && wordCount(tail[2] ?? '') <= 12) return cut(text, tail.index, tail[2] ?? '');
  const by = TAIL_BY.exec(text);
  if (by && wordCount(by[2] ?? '') <= 10) {
    // "Courtesy of X" keeps its label: without it the credit would read as the photographer.
    const label = (by[1] ?? '').replace(/^photo\s+/i, '');
    const keep = /^courtesy/i.test(label) ? `C${label.slice(1)} ${by[2] ?? ''}` : (by[2] ?? '');
    return cut(text, by.index, keep);
  }
  const ap = TAIL_AP_STYLE.exec(text);
  if (ap) return cut(text, ap.index, ap[1] ?? '');
  return splitAgencySegment(text);
}

function cut(text: string, at: number, credit: string): SplitCaption {
  return { caption: trimCaption(text.slice(0, at)), credit: trimCredit(credit) };
}

// The last sentence or "|"-separated segment, when it is only a credit ("… in Kyiv. Jane Doe/Reuters").
function splitAgencySegment(text: string): SplitCaption {
  const boundary = /(?:[.!?]["”’]?\s+|\s+[|–—]\s+|\s+-\s+)(?=[^.!?|–—]*$)/u.exec(text);
  const start = boundary ? boundary.index + boundary[0].length : 0;
  const segment = text.slice(start).replace(/\.$/, '').trim();
  if (wordCount(segment) > 8 || !AGENCY_SEGMENT.test(segment)) return { caption: text, credit: null };
  const head = boundary ? text.slice(0, boundary.index + boundary[0].trimEnd().length) : '';
  return { caption: trimCaption(head), credit: trimCredit(segment) };
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}
