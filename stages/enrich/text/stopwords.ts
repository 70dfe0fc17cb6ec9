import { createRequire } from 'node:module';

// stopwords-iso's English list has ~1,300 entries, including content words news cares about
// ("act", "adopted", "announce"); a short function-word list suits keyword extraction better.
// Other languages use stopwords-iso as is.
const ENGLISH = `a about above after again against ago all almost along already also although always am among an and
another any anyone anything are around as at away back be became because become been before being below between
both but by can cannot could did do does doing done down during each either else even ever every few for from
further get gets got had has have having he her here hers herself him himself his how however i if in including
into is it its itself just last least less like made make many may me might more most much must my myself near
neither never new next no nor not now of off often on once one only onto or other others our ours ourselves out
over own per perhaps rather really same say said says she should since so some still such than that the their
theirs them themselves then there these they this those though through thus to too toward towards under until up
upon us use used very via was we well were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves also told added according asked mr mrs ms dr
it's i'm don't doesn't didn't won't can't isn't aren't wasn't weren't hasn't haven't hadn't wouldn't couldn't
shouldn't that's there's he's she's they're we're you're i've we've they've i'd we'd they'd he'd she'd i'll we'll
they'll he'll she'll let's two three four five six seven eight nine ten first second year years time times day
days week weeks month months today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
way thing things lot people percent including part`;

const english: ReadonlySet<string> = new Set(ENGLISH.split(/\s+/));
const byLanguage = new Map<string, ReadonlySet<string>>([['en', english]]);
let iso: Record<string, string[]> | undefined;

/** Stopwords for an ISO 639-1 language (lowercase); English when the language is unknown or unlisted. */
export function stopwords(language: string | null | undefined): ReadonlySet<string> {
  const code = (language ?? 'en').toLowerCase().slice(0, 2);
  const cached = byLanguage.get(code);
  if (cached) return cached;
  iso ??= createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;
  const list = iso[code];
  const set: ReadonlySet<string> = list ? new Set(list.map((w) => w.toLowerCase())) : english;
  byLanguage.set(code, set);
  return set;
}
