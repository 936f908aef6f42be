import { describe, expect, it } from 'vitest';
import { looksLikeDate, normalizeDate } from './dates.js';

describe('normalizeDate', () => {
  it.each([
    ['3/26/2020', '2020-03-26'],
    ['03/26/2020', '2020-03-26'],
    ['9/27/2019', '2019-09-27'],
    ['12/1/2023', '2023-12-01'],
    ['2020-03-26', '2020-03-26'],
    ['2020/3/6', '2020-03-06'],
    ['26/03/2020', '2020-03-26'],
    ['26.3.2020', '2020-03-26'],
    ['3-26-2020', '2020-03-26'],
    ['3/26/20', '2020-03-26'],
    ['2020年3月26日', '2020-03-26'],
    ['**3/26/2020**', '2020-03-26'],
    [' 2/29/2024 ', '2024-02-29'],
    ['2/29/2023', null],
    ['13/13/2020', null],
    ['0/1/2020', null],
    ['soon', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it.each([
    ['3/26/2020', true],
    ['13/45/2020', true],
    ['2024年10月1日', true],
    ['Date', false],
    ['1.5 days', false],
  ])('looksLikeDate(%j) is %s', (input, expected) => {
    expect(looksLikeDate(input)).toBe(expected);
  });
});
