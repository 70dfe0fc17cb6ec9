import { describe, expect, it } from 'vitest';
import { toIsoDate } from '../../../stages/extract/to-iso-date.js';

const FETCHED_AT = '2024-06-01T12:00:00.000Z';

describe('toIsoDate', () => {
  it.each([
    ['2024-05-14T07:30:00+01:00', '2024-05-14T06:30:00.000Z'],
    ['2024-05-14T07:30:00-0500', '2024-05-14T12:30:00.000Z'],
    ['2024-05-14 07:30:00 +05:30', '2024-05-14T02:00:00.000Z'],
    ['2024-05-14T07:30:00', '2024-05-14T07:30:00.000Z'],
    ['2024-05-14', '2024-05-14T00:00:00.000Z'],
    ['20240514', '2024-05-14T00:00:00.000Z'],
    ['Tue, 14 May 2024 07:30:00 GMT', '2024-05-14T07:30:00.000Z'],
    ['May 14, 2024 7:30 AM', '2024-05-14T07:30:00.000Z'],
    ['May 14, 2024 7:30 AM EDT', '2024-05-14T11:30:00.000Z'],
    ['14 May 2024 07:30 BST', '2024-05-14T06:30:00.000Z'],
    ['14 May 2024 07:30 CEST', '2024-05-14T05:30:00.000Z'],
    ['1715671800', '2024-05-14T07:30:00.000Z'],
    ['Tuesday 14th May 2024, 07:30 AEST', '2024-05-13T21:30:00.000Z'],
    ['14-May-2024 07:30:00 IST', '2024-05-14T02:00:00.000Z'],
    // 05/03/2024 is 5 March or 3 May depending on the site: no guess.
    ['05/03/2024', null],
    ['yesterday', null],
    ['0000-00-00', null],
  ])('reads %j as %j', (raw, iso) => {
    expect(toIsoDate(raw, { fetchedAt: FETCHED_AT })).toBe(iso);
  });

  it('rejects a date more than a day after the fetch, allowing a day of clock and zone drift', () => {
    expect(toIsoDate('2024-06-02T11:59:00Z', { fetchedAt: FETCHED_AT })).toBe('2024-06-02T11:59:00.000Z');
    expect(toIsoDate('2024-06-02T12:01:00Z', { fetchedAt: FETCHED_AT })).toBeNull();
    expect(toIsoDate('2031-01-01')).toBeNull();
  });

  it('rejects a date before 1995 as a parsing accident', () => {
    expect(toIsoDate('1994-12-31T23:59:59Z')).toBeNull();
    expect(toIsoDate('1995-01-01T00:00:00Z')).toBe('1995-01-01T00:00:00.000Z');
    expect(toIsoDate('1970-01-01T00:00:00Z')).toBeNull();
  });
});
