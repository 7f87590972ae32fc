// sbom-ntia-minimum: the SBOM has the NTIA minimum elements (2021): for each
// component a name, a version, a unique identifier and a supplier; for the
// document a timestamp and an author (or tool); and dependency relationships.
import type { Component, Sbom } from '../../evidence/types.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, componentLabel, equalParameters, plural, skippedNoPrimary, verdict } from '../shared/common.ts';
import { hasSbom, sbomKinds } from './sbom-present.ts';

export interface SbomNtiaParams {
  requireSupplier: boolean;
}

const present = (s: string | undefined): boolean => typeof s === 'string' && s.trim() !== '';

/** The refs that appear in a dependency relationship, as the component or as a dependency. */
function relatedRefs(sbom: Sbom): Set<string> {
  const refs = new Set<string>();
  for (const d of sbom.dependencies) {
    refs.add(d.ref);
    for (const r of d.dependsOn) refs.add(r);
  }
  return refs;
}

function missingElements(c: Component, requireSupplier: boolean): string[] {
  const missing: string[] = [];
  if (!present(c.name)) missing.push('a name');
  if (!present(c.version)) missing.push('a version');
  if (!present(c.purl) && !present(c.cpe) && !present(c.swid) && !present(c.spdxId)) missing.push('a unique identifier (purl, CPE, SWID or SPDXID)');
  if (requireSupplier && !present(c.supplier)) missing.push('a supplier');
  return missing;
}

function evaluate(input: PolicyInput, params: SbomNtiaParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(sbomKinds, 'SBOM');
  const violations = brokenViolations(items);
  let components = 0;
  for (const item of items) {
    const sbom = item.data.sbom;
    if (!sbom) continue;
    const where = item.path;
    if (!present(sbom.timestamp)) violations.push(`${where}: the SBOM has no timestamp`);
    if (sbom.authors.filter(present).length === 0 && sbom.tools.filter(present).length === 0) violations.push(`${where}: the SBOM names no author and no tool`);
    if (sbom.components.length === 0) {
      violations.push(`${where}: the SBOM lists no components`);
      continue;
    }
    components += sbom.components.length;
    const related = relatedRefs(sbom);
    if (related.size === 0) violations.push(`${where}: the SBOM has no dependency relationships`);
    sbom.components.forEach((c, index) => {
      const label = componentLabel(c, index);
      const missing = missingElements(c, params.requireSupplier);
      if (missing.length > 0) violations.push(`${where}: component ${label} lacks ${missing.join(', ')}`);
      if (related.size > 0) {
        const refs = [c.bomRef, c.spdxId, c.purl].filter(present) as string[];
        if (!refs.some((r) => related.has(r))) violations.push(`${where}: component ${label} is in no dependency relationship`);
      }
    });
  }
  return verdict(violations, `${plural(items.length, 'SBOM')}, ${plural(components, 'component')} checked`);
}

export const policy: BuiltinPolicy<SbomNtiaParams> = {
  meta: {
    name: 'sbom-ntia-minimum',
    title: 'SBOM has the NTIA minimum elements',
    description: 'Fails when a component lacks a name, version, unique identifier (purl, CPE, SWID or SPDXID) or supplier, when the SBOM has no timestamp or no author or tool, or when components are in no dependency relationship.',
    primary: sbomKinds,
    accepts: hasSbom,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        requireSupplier: { type: 'boolean', default: true, description: 'Every component must name its supplier.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
