// tests-passed: no failed or erroring test, and at least `min` tests run.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, equalParameters, plural, skippedNoPrimary, verdict } from '../shared/common.ts';

export interface TestsPassedParams {
  min: number;
}

function evaluate(input: PolicyInput, params: TestsPassedParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['junit'], 'JUnit test report');
  const violations = brokenViolations(items);
  let run = 0;
  let skippedTests = 0;
  for (const item of items) {
    const t = item.data.tests;
    if (!t) continue;
    run += Math.max(0, t.tests - t.skipped);
    skippedTests += t.skipped;
    const listed = { failures: 0, errors: 0 };
    for (const c of t.cases) {
      if (c.status !== 'failed' && c.status !== 'error') continue;
      if (c.status === 'failed') listed.failures++;
      else listed.errors++;
      const name = c.classname ? `${c.classname} › ${c.name}` : c.name;
      const why = c.message?.trim() ? `: ${c.message.trim().split('\n')[0]}` : '';
      violations.push(`${item.path}: test ${name} ${c.status === 'failed' ? 'failed' : 'errored'}${why}`);
    }
    // Counts the cases do not explain (a report with totals only).
    if (t.failures > listed.failures) violations.push(`${item.path}: ${plural(t.failures - listed.failures, 'further failure')} reported without details`);
    if (t.errors > listed.errors) violations.push(`${item.path}: ${plural(t.errors - listed.errors, 'further error')} reported without details`);
  }
  if (run < params.min) violations.push(`only ${plural(run, 'test')} ran (skipped tests do not count); at least ${params.min} required`);
  return verdict(violations, `${plural(run, 'test')} run, ${skippedTests} skipped, in ${plural(items.length, 'report')}`);
}

export const policy: BuiltinPolicy<TestsPassedParams> = {
  meta: {
    name: 'tests-passed',
    title: 'Tests pass',
    description: 'Fails on any failed or erroring test, or when fewer than `min` tests ran (skipped tests do not count as run).',
    primary: ['junit'],
    accepts: (item) => item.facets.tests !== undefined,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        min: { type: 'integer', minimum: 0, default: 1, description: 'The fewest tests that must run.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
