// branch-protection: the protected branch asks for enough reviews and binds admins.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, equalParameters, skippedNoPrimary, verdict } from '../shared/common.ts';

export interface BranchProtectionParams {
  reviews: number;
  enforceAdmins: boolean;
}

function evaluate(input: PolicyInput, params: BranchProtectionParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['github-branch-protection'], 'GitHub branch protection settings');
  const violations = brokenViolations(items);
  const seen: string[] = [];
  for (const item of items) {
    const bp = item.data.branchProtection;
    if (!bp) continue;
    const branch = bp.branch ? `branch ${bp.branch} (${item.path})` : item.path;
    seen.push(`${branch}: ${bp.requiredReviews} reviews, admins ${bp.enforceAdmins ? '' : 'not '}enforced`);
    if (bp.requiredReviews < params.reviews) violations.push(`${branch}: requires ${bp.requiredReviews} approving reviews; at least ${params.reviews} required`);
    if (params.enforceAdmins && !bp.enforceAdmins) violations.push(`${branch}: the rules do not apply to administrators (enforce_admins is off)`);
  }
  return verdict(violations, seen.join('; '));
}

export const policy: BuiltinPolicy<BranchProtectionParams> = {
  meta: {
    name: 'branch-protection',
    title: 'Branch protection is on',
    description: 'Fails when the branch protection settings ask for fewer approving reviews than `reviews`, or do not bind administrators when `enforceAdmins` is true.',
    primary: ['github-branch-protection'],
    accepts: (item) => item.facets.branchProtection !== undefined,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        reviews: { type: 'integer', minimum: 0, default: 1, description: 'The fewest approving reviews a pull request needs.' },
        enforceAdmins: { type: 'boolean', default: true, description: 'Administrators are bound by the rules too.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
