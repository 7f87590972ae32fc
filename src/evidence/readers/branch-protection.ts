// GitHub branch protection, as returned by
// `GET /repos/{owner}/{repo}/branches/{branch}/protection` (`gh api …`).
// A section that is absent is a setting that is off (no required reviews: 0).
import type { BranchProtection } from '../types.ts';
import { asArray, bool, compact, get, isObject, num, sortedUnique, str, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'github-branch-protection';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc)) return false;
  const url = str(doc.url) ?? '';
  return /\/branches\/[^/]+\/protection$/.test(url) || (isObject(doc.enforce_admins) && 'enabled' in doc.enforce_admins) || isObject(doc.required_pull_request_reviews);
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const url = str(get(doc, 'url')) ?? '';
  const branch = /\/branches\/([^/]+)\/protection$/.exec(url)?.[1];
  const reviews = get(doc, 'required_pull_request_reviews');
  const checks = get(doc, 'required_status_checks');
  const protection: BranchProtection = compact({
    branch: branch ? decodeURIComponent(branch) : undefined,
    requiredReviews: isObject(reviews) ? (num(reviews.required_approving_review_count) ?? 0) : 0,
    enforceAdmins: bool(get(doc, 'enforce_admins', 'enabled')) ?? false,
    requireCodeOwnerReviews: isObject(reviews) ? (bool(reviews.require_code_owner_reviews) ?? false) : false,
    requiredSignatures: bool(get(doc, 'required_signatures', 'enabled')) ?? false,
    allowForcePushes: bool(get(doc, 'allow_force_pushes', 'enabled')) ?? false,
    allowDeletions: bool(get(doc, 'allow_deletions', 'enabled')) ?? false,
    requiredStatusChecks: isObject(checks)
      ? sortedUnique([...asArray(checks.contexts).map(str), ...asArray(checks.checks).map((c) => str(get(c, 'context')))])
      : [],
  });
  return { format: 'GitHub branch protection JSON', data: { branchProtection: protection }, problems: [] };
}
