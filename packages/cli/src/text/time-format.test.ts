import { describe, expect, test } from 'vitest';
import { column, ctime, isoLocalTime, xmlAttribute } from './time-format.js';

const utc = { utcOffsetMinutes: () => 0 };

describe('time formats', () => {
  test("ctime pads a one-digit day with a space, as C's ctime does", () => {
    expect(ctime(Date.UTC(2015, 11, 10, 17, 58, 33), utc)).toBe('Thu Dec 10 17:58:33 2015');
    expect(ctime(Date.UTC(2026, 2, 1, 4, 5, 6), utc)).toBe('Sun Mar  1 04:05:06 2026');
  });

  test('local time applies the offset, across midnight and the year', () => {
    const ms = Date.UTC(2015, 11, 31, 23, 30, 0);
    expect(ctime(ms, { utcOffsetMinutes: () => 90 })).toBe('Fri Jan  1 01:00:00 2016');
    expect(isoLocalTime(ms, { utcOffsetMinutes: () => -300 })).toBe('2015-12-31 18:30:00');
  });

  test('column cuts and pads like %-N.Ns; attributes escape the XML specials', () => {
    expect(column('abcdef', 4)).toBe('abcd');
    expect(column('ab', 4)).toBe('ab  ');
    expect(xmlAttribute(`a&"<>'`)).toBe(`a&amp;&quot;&lt;&gt;'`);
  });
});
