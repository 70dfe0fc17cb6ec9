import { describe, expect, it } from 'vitest';
import { deShout } from '../../../stages/extract/de-shout.js';
import { splitAuthors } from '../../../stages/extract/split-authors.js';

describe('splitAuthors', () => {
  it('splits "By A, B and C" into names without "By"', () => {
    expect(splitAuthors('By Tomás Reyes and Aiko Tanaka')).toEqual(['Tomás Reyes', 'Aiko Tanaka']);
    expect(splitAuthors('Words by Jo Bloggs, Sam Roe & June Carter')).toEqual(['Jo Bloggs', 'Sam Roe', 'June Carter']);
    expect(splitAuthors('BY: Ann Poe; Bo Lin')).toEqual(['Ann Poe', 'Bo Lin']);
  });

  it('keeps only the names before a bar: "By A | Reuters", "Staff Writer | A | Updated 10:42"', () => {
    expect(splitAuthors('By Jane Doe | Reuters')).toEqual(['Jane Doe']);
    expect(splitAuthors('Jane Doe | Staff Writer | Updated 10:42')).toEqual(['Jane Doe']);
    expect(splitAuthors('Staff Writer | Jane Doe')).toEqual(['Jane Doe']);
  });

  it('credits wire reporters, not their editors', () => {
    expect(splitAuthors('Reporting by Ann Poe and Bo Lin; Editing by Cy Dunn')).toEqual(['Ann Poe', 'Bo Lin']);
  });

  it('drops emails, URLs, dates and job titles, but keeps a name that ends like one', () => {
    expect(splitAuthors('https://www.facebook.com/someone')).toEqual([]);
    expect(splitAuthors('Jane Doe jane.doe@news.example')).toEqual(['Jane Doe']);
    expect(splitAuthors('Jane Doe (https://twitter.com/jane)')).toEqual(['Jane Doe']);
    expect(splitAuthors('Jane Doe, Senior Political Correspondent')).toEqual(['Jane Doe']);
    expect(splitAuthors('Staff Writer')).toEqual([]);
    expect(splitAuthors('A. Writer and B. Reporter')).toEqual(['A. Writer', 'B. Reporter']);
  });

  it('de-shouts names written in capitals', () => {
    expect(splitAuthors('By HARBOR DAILY STAFF')).toEqual(['Harbor Daily Staff']);
    expect(splitAuthors("BY SEAN O'NEILL AND JEAN-PAUL MARTIN")).toEqual(["Sean O'Neill", 'Jean-Paul Martin']);
  });
});

describe('deShout', () => {
  it.each([
    ['HARBOR DAILY STAFF', 'Harbor Daily Staff'],
    ["MAEVE O'BRIEN", "Maeve O'Brien"],
    ['ÉMILE ZOLA', 'Émile Zola'],
    ['BBC NEWS', 'BBC News'],
    ['AFP', 'AFP'],
    ['Jane McDonald', 'Jane McDonald'],
    ['danah boyd', 'danah boyd'],
  ])('writes %j as %j', (raw, expected) => {
    expect(deShout(raw)).toBe(expected);
  });
});
