// Periodicity: how long evidence or a proof stays fresh (SPEC section 2).
// UTC calendar arithmetic: years and months first, clamping a day past the end
// of a shorter month to its last day, then days, hours, minutes and seconds as
// exact durations (UTC has no daylight saving time).
import type { Periodicity } from '../model/types.ts';
import { formatInstant, instantMillis } from './shared/common.ts';

type Units = Omit<Periodicity, 'text'>;

const zero: Units = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

const keywords: Record<string, Partial<Units>> = {
  hourly: { hours: 1 },
  daily: { hours: 24 },
  weekly: { days: 7 },
  biweekly: { days: 14 },
  monthly: { months: 1 },
  quarterly: { months: 3 },
  yearly: { years: 1 },
};

/** The keywords, for messages and schemas. */
export const periodicityKeywords: readonly string[] = Object.keys(keywords);

/** Matches a keyword or an ISO 8601 duration (for JSON Schema `pattern`). */
export const periodicityPattern = '^(?:[Hh][Oo][Uu][Rr][Ll][Yy]|[Dd][Aa][Ii][Ll][Yy]|[Ww][Ee][Ee][Kk][Ll][Yy]|[Bb][Ii][Ww][Ee][Ee][Kk][Ll][Yy]|[Mm][Oo][Nn][Tt][Hh][Ll][Yy]|[Qq][Uu][Aa][Rr][Tt][Ee][Rr][Ll][Yy]|[Yy][Ee][Aa][Rr][Ll][Yy]|[Pp](?:\\d+[Yy])?(?:\\d+[Mm])?(?:\\d+[Ww])?(?:\\d+[Dd])?(?:[Tt](?:\\d+[Hh])?(?:\\d+[Mm])?(?:\\d+[Ss])?)?)$';

const isoDuration = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * `daily`, `monthly`, … or an ISO 8601 duration (`P6M`, `PT12H`, `P1Y2M3DT4H`,
 * `P2W`). Keywords and designators are case-insensitive. Integers only; a zero
 * duration (`P0D`) is rejected because nothing could ever be fresh.
 */
export function parsePeriodicity(text: string): Periodicity | undefined {
  if (typeof text !== 'string') return undefined;
  const written = text.trim();
  const keyword = keywords[written.toLowerCase()];
  if (keyword) return { text: written, ...zero, ...keyword };
  const m = isoDuration.exec(written.toUpperCase());
  if (!m || written.toUpperCase().endsWith('T')) return undefined;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const units: Units = {
    years: n(m[1]),
    months: n(m[2]),
    days: n(m[3]) * 7 + n(m[4]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
  };
  if (Object.values(units).every((v) => v === 0)) return undefined;
  if (Object.values(units).some((v) => !Number.isSafeInteger(v))) return undefined;
  return { text: written, ...units };
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

function shift(ms: number, p: Units, sign: 1 | -1): number {
  const d = new Date(ms);
  const totalMonths = d.getUTCFullYear() * 12 + d.getUTCMonth() + sign * (p.years * 12 + p.months);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as given.
  const fixed = new Date(0);
  fixed.setUTCFullYear(year, month, day);
  fixed.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  const exact = ((p.days * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds;
  return fixed.getTime() + sign * exact * 1000;
}

function requireInstant(isoInstant: string): number {
  const ms = instantMillis(isoInstant);
  if (ms === undefined) throw new RangeError(`Not an ISO 8601 date or time: "${isoInstant}"`);
  return ms;
}

/** `isoInstant + p` as an ISO instant in UTC: 2026-01-31 + monthly = 2026-02-28T00:00:00Z. */
export function addPeriod(isoInstant: string, p: Periodicity): string {
  return formatInstant(shift(requireInstant(isoInstant), p, 1));
}

/** `isoInstant − p`, with the same clamping: 2026-03-31 − monthly = 2026-02-28T00:00:00Z. */
export function subtractPeriod(isoInstant: string, p: Periodicity): string {
  return formatInstant(shift(requireInstant(isoInstant), p, -1));
}

/** Expired from `now >= timestamp + window`; fresh while `now < timestamp + window`. No periodicity: never. */
export function isExpired(timestamp: string, p: Periodicity | undefined, now: string): boolean {
  if (p === undefined) return false;
  return requireInstant(now) >= requireInstant(addPeriod(timestamp, p));
}
