// sbom-banned-licenses: no component's licence expression needs a banned licence.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, componentLabel, equalParameters, plural, skippedNoPrimary, sortedUnique, verdict } from '../shared/common.ts';
import { checkLicenseExpression } from '../shared/licenses.ts';
import { hasSbom, sbomKinds } from './sbom-present.ts';

export interface SbomBannedLicensesParams {
  licenses: string[];
}

function evaluate(input: PolicyInput, params: SbomBannedLicensesParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(sbomKinds, 'SBOM');
  const violations = brokenViolations(items);
  const unknown: string[] = [];
  let checked = 0;
  let undeclared = 0;
  for (const item of items) {
    const sbom = item.data.sbom;
    if (!sbom) continue;
    sbom.components.forEach((c, index) => {
      const expression = c.licenseExpression?.trim();
      if (!expression) {
        undeclared++;
        return;
      }
      checked++;
      const label = componentLabel(c, index);
      const result = checkLicenseExpression(expression, params.licenses);
      if (result.status === 'invalid') {
        violations.push(`${item.path}: component ${label} has the licence expression "${expression}", which is not a valid SPDX expression (${result.error}), so it cannot be checked`);
      } else if (result.status === 'banned') {
        violations.push(`${item.path}: component ${label} is licensed "${expression}", which cannot be satisfied without a banned licence (${result.banned.join(', ')})`);
      }
      for (const id of result.unknown) unknown.push(`${id} (${label})`);
    });
  }
  let reason = `${plural(checked, 'licence expression')} checked in ${plural(items.length, 'SBOM')}; ${undeclared} components declare none`;
  const notes = sortedUnique(unknown);
  if (notes.length > 0) reason += `; not on the SPDX licence list: ${notes.join(', ')}`;
  return verdict(violations, reason);
}

export const policy: BuiltinPolicy<SbomBannedLicensesParams> = {
  meta: {
    name: 'sbom-banned-licenses',
    title: 'No banned licences in the SBOM',
    description: 'Fails when a component\'s SPDX licence expression cannot be satisfied without a banned licence (`MIT OR AGPL-3.0-only` passes, `MIT AND AGPL-3.0-only` fails), or does not parse.',
    primary: sbomKinds,
    accepts: hasSbom,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        licenses: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          default: ['AGPL-1.0-only', 'AGPL-1.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'],
          description: 'Banned SPDX licence ids (case-insensitive; `X WITH exception` bans only that combination).',
        },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
