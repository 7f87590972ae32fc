// scorecard: the OpenSSF Scorecard aggregate and named checks reach their minimums.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, compareText, deepEqual, skippedNoPrimary, sortedUnique, verdict } from '../shared/common.ts';

export interface ScorecardParams {
  min: number;
  checks?: Record<string, number>;
}

function evaluate(input: PolicyInput, params: ScorecardParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['scorecard'], 'OpenSSF Scorecard result');
  const violations = brokenViolations(items);
  const inconclusive: string[] = [];
  const scores: string[] = [];
  for (const item of items) {
    const sc = item.data.scorecard;
    if (!sc) continue;
    const subject = sc.repo ? `${sc.repo} (${item.path})` : item.path;
    scores.push(`${subject}: ${sc.score}`);
    if (sc.score < params.min) violations.push(`${subject}: aggregate score ${sc.score} is below ${params.min}`);
    for (const check of sc.checks) if (check.score === -1) inconclusive.push(`${check.name} (${subject})`);
    const wanted = Object.entries(params.checks ?? {}).sort(([a], [b]) => compareText(a, b));
    for (const [name, min] of wanted) {
      const check = sc.checks.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!check) violations.push(`${subject}: check ${name} is not in the report; ${min} required`);
      else if (check.score === -1) continue; // inconclusive: reported, not failed
      else if (check.score < min) violations.push(`${subject}: check ${check.name} scored ${check.score}, below ${min}${check.reason ? ` (${check.reason})` : ''}`);
    }
  }
  let reason = `score ${scores.join(', ')}; minimum ${params.min}`;
  const notes = sortedUnique(inconclusive);
  if (notes.length > 0) reason += `; inconclusive (scored -1, not failed): ${notes.join(', ')}`;
  return verdict(violations, reason);
}

export const policy: BuiltinPolicy<ScorecardParams> = {
  meta: {
    name: 'scorecard',
    title: 'OpenSSF Scorecard reaches its minimum',
    description: 'Fails when the aggregate score is below `min` or a check named in `checks` scores below its minimum. A check scored -1 is inconclusive: reported, not failed.',
    primary: ['scorecard'],
    accepts: (item) => item.facets.scorecard !== undefined,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        min: { type: 'number', minimum: 0, maximum: 10, default: 7, description: 'The lowest aggregate score that passes.' },
        checks: {
          type: 'object',
          additionalProperties: { type: 'number', minimum: 0, maximum: 10 },
          description: 'Minimum scores of named checks (e.g. `Code-Review: 8`).',
        },
      },
    },
    // A higher minimum is stricter; the named checks must be the same.
    compatible: (entry, requirement) => entry.min >= requirement.min && deepEqual(entry.checks ?? {}, requirement.checks ?? {}),
  },
  evaluate,
};
