// Job titles and boilerplate that sit in bylines next to names.
const NOT_A_NAME = /^(?:staff(?:\s+(?:writer|reporter))?|(?:senior\s+)?(?:reporter|correspondent|editor|writer|contributor|columnist)|updated|published|posted|more|share|follow|admin|administrator|unknown|anonymous|null|undefined)$/i;

/** Author names from a byline: "By Jane Doe and John Roe" gives ["Jane Doe", "John Roe"]; URLs and dates dropped. */
export function splitAuthors(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text || /^(?:https?:)?\/\//i.test(text)) return [];
  return text
    .replace(/^(?:(?:written|words|story|text|reporting)\s+)?by\s*:?\s+/i, '')
    .split(/\s*(?:,|;|\||•|·|&|\band\b|\s\/\s)\s*/i)
    .map((part) => part.replace(/^by\s*:?\s+/i, '').replace(/^[@\s]+|[\s.,:;]+$/g, '').trim())
    .filter((name) => isName(name));
}

function isName(name: string): boolean {
  if (name.length < 2 || name.length > 80) return false;
  if (/[@/\\]|https?:|www\./i.test(name) || !/\p{L}/u.test(name)) return false;
  // Digits mean a date or a time crept in ("Updated 10:42"): names have none.
  if (NOT_A_NAME.test(name) || /\d/.test(name)) return false;
  return name.split(' ').length <= 6;
}
