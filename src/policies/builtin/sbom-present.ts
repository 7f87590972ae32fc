// sbom-present: at least one SBOM (of the asked format) is among the evidence.
import type { EvidenceKind } from '../../evidence/types.ts';
import type { EvidenceItem } from '../../model/types.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, equalParameters, skipped, skippedNoPrimary, verdict } from '../shared/common.ts';

export interface SbomPresentParams {
  format?: 'cyclonedx' | 'spdx';
}

/** The SBOM kinds; a CycloneDX document counts only when the reader found an SBOM in it (not VEX only). */
export const sbomKinds: EvidenceKind[] = ['cyclonedx', 'spdx'];
export const hasSbom = (item: EvidenceItem): boolean => item.facets.sbom !== undefined;

const formatNames = { cyclonedx: 'CycloneDX', spdx: 'SPDX' } as const;

function describe(item: EvidenceItem): string {
  const sbom = item.data.sbom;
  const format = sbom ? `${formatNames[sbom.format]} ${sbom.specVersion}`.trim() : item.kind;
  return `${item.path} (${format}, ${sbom?.components.length ?? 0} components)`;
}

function evaluate(input: PolicyInput, params: SbomPresentParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(sbomKinds, 'SBOM');
  const format = params.format;
  const matching = format === undefined ? items : items.filter((item) => item.data.sbom?.format === format);
  if (matching.length === 0) {
    return skipped(`No ${formatNames[format ?? 'cyclonedx']} SBOM among the evidence; found only ${items.map(describe).join(', ')}.`);
  }
  return verdict([], `SBOM present: ${matching.map(describe).join(', ')}`);
}

export const policy: BuiltinPolicy<SbomPresentParams> = {
  meta: {
    name: 'sbom-present',
    title: 'An SBOM is present',
    description: 'Passes when the evidence holds a CycloneDX or SPDX SBOM (of `format`, when given); SKIPPED when it holds none. Never FAILED.',
    primary: sbomKinds,
    accepts: hasSbom,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { enum: ['cyclonedx', 'spdx'], description: 'Only SBOMs of this format count.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
