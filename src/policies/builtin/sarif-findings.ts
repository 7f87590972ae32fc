// sarif-findings: at most `max` unsuppressed results at or above `level`.
import type { SarifLevel } from '../../evidence/types.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, plural, skippedNoPrimary, verdict } from '../shared/common.ts';

export interface SarifFindingsParams {
  level: 'error' | 'warning' | 'note';
  max: number;
}

const levelRank: Record<SarifLevel, number> = { none: 0, note: 1, warning: 2, error: 3 };

function evaluate(input: PolicyInput, params: SarifFindingsParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['sarif'], 'SARIF log');
  const threshold = levelRank[params.level];
  const counted: string[] = [];
  let suppressed = 0;
  let total = 0;
  for (const item of items) {
    for (const run of item.data.sarif?.runs ?? []) {
      for (const r of run.results) {
        total++;
        // The reader gives every result its level (the rule's default, else warning).
        const level = r.level in levelRank ? r.level : 'warning';
        if (levelRank[level] < threshold) continue;
        if (r.suppressed) {
          suppressed++;
          continue;
        }
        const rule = r.ruleId ? ` ${r.ruleId}` : '';
        const where = r.location ? ` at ${r.location}` : ` in ${item.path}`;
        counted.push(`${level}${rule}${where}: ${r.message.trim()} (${run.tool})`);
      }
    }
  }
  const violations = brokenViolations(items);
  if (counted.length > params.max) violations.push(...counted);
  const reason = `${plural(counted.length, 'unsuppressed result')} at or above ${params.level} (at most ${params.max} allowed) among ${plural(total, 'result')}; ${suppressed} suppressed`;
  return verdict(violations, reason);
}

export const policy: BuiltinPolicy<SarifFindingsParams> = {
  meta: {
    name: 'sarif-findings',
    title: 'Static analysis findings within limits',
    description: 'Fails when a SARIF log has more than `max` unsuppressed results at or above `level` (a result without a level takes its rule\'s default, else warning); each such result is a violation.',
    primary: ['sarif'],
    accepts: (item) => item.facets.sarif !== undefined,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        level: { enum: ['error', 'warning', 'note'], default: 'error', description: 'The lowest level that counts.' },
        max: { type: 'integer', minimum: 0, default: 0, description: 'The most results allowed at or above `level`.' },
      },
    },
    // Judged at a lower level with a lower maximum, the evaluation is at least as strict.
    compatible: (entry, requirement) => levelRank[entry.level] <= levelRank[requirement.level] && entry.max <= requirement.max,
  },
  evaluate,
};
