// Periodicity: keywords, ISO 8601 durations, UTC calendar arithmetic with month-end clamping.
import { describe, expect, it } from 'vitest';
import { addPeriod, isExpired, parsePeriodicity, subtractPeriod } from '../../src/policies/periodicity.ts';

const p = (text: string) => {
  const r = parsePeriodicity(text);
  if (!r) throw new Error(`not a periodicity: ${text}`);
  return r;
};

describe('parsePeriodicity', () => {
  it.each([
    ['hourly', { hours: 1 }],
    ['daily', { hours: 24 }],
    ['weekly', { days: 7 }],
    ['biweekly', { days: 14 }],
    ['monthly', { months: 1 }],
    ['quarterly', { months: 3 }],
    ['yearly', { years: 1 }],
    ['P6M', { months: 6 }],
    ['PT12H', { hours: 12 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['P2W', { days: 14 }],
    ['P90D', { days: 90 }],
    ['  Monthly ', { months: 1 }],
    ['p1d', { days: 1 }],
  ])('%s', (text, units) => {
    expect(parsePeriodicity(text)).toEqual({ text: text.trim(), years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...units });
  });

  it.each(['', 'P', 'PT', 'P1DT', 'P0D', 'PT0S', 'fortnightly', '1 day', 'P1.5D', 'P-1D', 'T1H', 'P1H'])('rejects %j', (text) => {
    expect(parsePeriodicity(text)).toBeUndefined();
  });
});

describe('addPeriod', () => {
  it.each([
    ['2026-01-31', 'monthly', '2026-02-28T00:00:00Z'],
    ['2024-01-31T10:30:00Z', 'monthly', '2024-02-29T10:30:00Z'],
    ['2026-03-31T00:00:00Z', 'P1M', '2026-04-30T00:00:00Z'],
    ['2026-11-30T00:00:00Z', 'quarterly', '2027-02-28T00:00:00Z'],
    ['2024-02-29T00:00:00Z', 'yearly', '2025-02-28T00:00:00Z'],
    ['2026-01-15T00:00:00Z', 'monthly', '2026-02-15T00:00:00Z'],
    ['2026-12-31T23:00:00Z', 'hourly', '2027-01-01T00:00:00Z'],
    ['2026-03-28T12:00:00Z', 'weekly', '2026-04-04T12:00:00Z'],
    ['2026-01-31T00:00:00Z', 'P1M1D', '2026-03-01T00:00:00Z'],
    ['2026-01-01T00:00:00', 'daily', '2026-01-02T00:00:00Z'],
    ['2026-01-01T00:00:00+02:00', 'daily', '2026-01-01T22:00:00Z'],
  ])('%s + %s = %s', (start, period, expected) => {
    expect(addPeriod(start, p(period))).toBe(expected);
  });

  it('subtracts with the same clamping', () => {
    expect(subtractPeriod('2026-03-31T00:00:00Z', p('monthly'))).toBe('2026-02-28T00:00:00Z');
    expect(subtractPeriod('2026-05-01T00:00:00Z', p('P90D'))).toBe('2026-01-31T00:00:00Z');
  });

  it('throws on a text that is not an instant', () => {
    expect(() => addPeriod('yesterday', p('daily'))).toThrow(RangeError);
  });
});

describe('isExpired', () => {
  it('is fresh until the exact end of the window and expired from it', () => {
    const monthly = p('monthly');
    expect(isExpired('2026-01-31T00:00:00Z', monthly, '2026-02-27T23:59:59Z')).toBe(false);
    expect(isExpired('2026-01-31T00:00:00Z', monthly, '2026-02-28T00:00:00Z')).toBe(true);
    expect(isExpired('2026-01-01T00:00:00Z', p('daily'), '2026-01-01T23:59:59.999Z')).toBe(false);
    expect(isExpired('2026-01-01T00:00:00Z', p('daily'), '2026-01-02T00:00:00Z')).toBe(true);
  });

  it('never expires without a periodicity', () => {
    expect(isExpired('2000-01-01T00:00:00Z', undefined, '2026-01-01T00:00:00Z')).toBe(false);
  });

  it('treats a date alone as 00:00 UTC', () => {
    expect(isExpired('2026-01-01', p('daily'), '2026-01-02T00:00:00Z')).toBe(true);
    expect(isExpired('2026-01-01', p('daily'), '2026-01-01T23:59:59Z')).toBe(false);
  });
});
