// secrets-scan: the secret scanner (gitleaks) found nothing.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, equalParameters, plural, skippedNoPrimary, verdict } from '../shared/common.ts';

export type SecretsScanParams = Record<string, never>;

function evaluate(input: PolicyInput, _params: SecretsScanParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['gitleaks'], 'gitleaks report');
  const violations = brokenViolations(items);
  let findings = 0;
  for (const item of items) {
    for (const f of item.data.secrets?.findings ?? []) {
      findings++;
      // Never the secret itself: rule, place and commit only.
      const place = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : `a file (${item.path})`;
      const commit = f.commit ? ` in commit ${f.commit.slice(0, 7)}` : '';
      const what = f.description?.trim() ? ` (${f.description.trim()})` : '';
      violations.push(`secret found by rule ${f.ruleId}${what} at ${place}${commit}`);
    }
  }
  return verdict(violations, `${plural(findings, 'finding')} in ${plural(items.length, 'report')}`);
}

export const policy: BuiltinPolicy<SecretsScanParams> = {
  meta: {
    name: 'secrets-scan',
    title: 'No secrets found',
    description: 'Fails on any finding of the secret scanner (gitleaks). Violations name the rule, file, line and commit, never the secret.',
    primary: ['gitleaks'],
    accepts: (item) => item.facets.secrets !== undefined,
    parameters: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false, properties: {} },
    compatible: equalParameters,
  },
  evaluate,
};
