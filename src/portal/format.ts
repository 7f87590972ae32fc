// Display helpers shared by the pages. Pure; dates are shown in UTC so two
// builds anywhere give the same text.
import type { Status } from '../evaluate/report-types.ts';

/** "45 %" (whole percent), or "n/a" when nothing was counted — never 0 or 100 for that. */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.floor(score * 100 + 1e-9)} %`;
}

/** 2026-11-22 */
export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

/** 2026-11-22 09:00 UTC */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const utc = d.toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 12) : '—';
}

/** A friendlier label shown beside the status name (SPEC section 9 keeps the name itself in capitals). */
export const statusLabels: Record<Status, string> = {
  PASSED: 'passed',
  GRACE: 'failing, within its SLA',
  EXPIRED: 'evidence too old',
  MISSING: 'no evidence',
  FAILED: 'failed',
  EXCEPTION: 'approved exception',
  NOT_APPLICABLE: 'not applicable',
  INACTIVE: 'inactive',
};

/** Joins the base path and a site-relative href ("products/acme/"). */
export function withBase(base: string, href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return href;
  return `${base}${href.replace(/^\//, '')}`;
}
