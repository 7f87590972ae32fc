import { UsageError } from './io.ts';

const isoPattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `now` by SPEC section 8: --now, else the --at commit's date, else SOURCE_DATE_EPOCH, else the clock. */
export function resolveNow(flag: string | undefined, atDate: string | undefined, env: Record<string, string | undefined>, usage: string): string {
  if (flag !== undefined) {
    const text = flag.trim();
    if (!isoPattern.test(text)) throw new UsageError(`--now must be an ISO 8601 date or date-time such as 2026-11-22 or 2026-11-22T12:00:00Z (got "${flag}")`, usage);
    const withZone = /T|\s/.test(text) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`) : `${text}T00:00:00Z`;
    const d = new Date(withZone.replace(' ', 'T'));
    if (Number.isNaN(d.getTime())) throw new UsageError(`--now is not a valid date (got "${flag}")`, usage);
    return d.toISOString();
  }
  if (atDate) return new Date(atDate).toISOString();
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be a number of seconds (got "${epoch}")`, usage);
    return new Date(Number(epoch) * 1000).toISOString();
  }
  return new Date().toISOString();
}
