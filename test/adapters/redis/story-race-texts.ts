// Texts for the story-index race tests: round n is one story of pseudo-random words (so rounds
// never resemble each other); each worker gets its own lightly edited copy (a different tagline,
// quote style and an extra paragraph), so the copies are near, not exact, duplicates.
const SYLLABLES = ['ka', 'lo', 'mi', 'ser', 'tan', 'vo', 'rel', 'du', 'pra', 'nim', 'ost', 'ge', 'bru', 'hal', 'quin', 'zet'];

function word(state: { s: number }): string {
  let w = '';
  const n = 1 + (state.s % 3);
  for (let i = 0; i < n + 1; i++) {
    state.s = (Math.imul(state.s, 1664525) + 1013904223) >>> 0;
    w += SYLLABLES[state.s >>> 28]!;
  }
  return w;
}

export function raceStory(round: number): string {
  const state = { s: (round + 1) * 2654435761 };
  const paragraph = () => Array.from({ length: 40 }, () => word(state)).join(' ');
  return [paragraph(), `"${paragraph()}," she said.`, paragraph(), paragraph()].join('\n\n');
}

export function raceCopy(round: number, worker: string): string {
  const base = raceStory(round);
  return worker.endsWith('a')
    ? `${base}\n\nThis story was compiled from wire reports.`
    : `${base.replace(/"/g, '\u201D')}\n\nReporting by Lena Varga; Editing by Martin Osei\n\nA local paragraph added by worker ${worker} for round ${round}.`;
}
