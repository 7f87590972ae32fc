// slsa-provenance: build provenance reaches a SLSA Build level.
//   L1: provenance with builder.id and buildType;
//   L2: in a signed envelope (DSSE with a signature, a Sigstore bundle);
//   L3: built by a trusted builder (the default list below, plus `builders`).
// And: the provenance subjects must include the artifact an SBOM describes,
// when both name digests of a common algorithm.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, deepEqual, plural, skippedNoPrimary, sortedUnique, verdict } from '../shared/common.ts';
import { digestKeys, shortDigest } from '../shared/signatures.ts';

export interface SlsaProvenanceParams {
  level: 1 | 2 | 3;
  builders?: string[];
}

const generator = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows';

/**
 * Builders trusted for SLSA Build L3 by default: the reusable workflows of
 * slsa-github-generator, the builders slsa-verifier trusts, at a release tag.
 * GitHub's own `https://github.com/actions/runner/github-hosted` (artifact
 * attestations) is not here: GitHub states those meet Build L2, and L3 only
 * when the build runs in an isolated reusable workflow, which the builder id
 * alone does not show. Add such builders with `builders`.
 */
export const defaultTrustedBuilders: readonly string[] = [
  'generator_generic_slsa3.yml',
  'generator_container_slsa3.yml',
  'builder_go_slsa3.yml',
  'builder_nodejs_slsa3.yml',
  'builder_container-based_slsa3.yml',
  'builder_maven_slsa3.yml',
  'builder_gradle_slsa3.yml',
].map((workflow) => `${generator}/${workflow}@refs/tags/v*`);

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** Is `builderId` one of `trusted` (exact ids, or patterns where `*` matches anything)? */
export function isTrustedBuilder(builderId: string, trusted: readonly string[]): boolean {
  return trusted.some((t) => (t.includes('*') ? globToRegExp(t).test(builderId) : t === builderId));
}

const levelNames = ['', 'L1', 'L2', 'L3'];

function evaluate(input: PolicyInput, params: SlsaProvenanceParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(['slsa-provenance'], 'SLSA provenance');
  const trusted = [...defaultTrustedBuilders, ...(params.builders ?? [])];
  const violations = brokenViolations(items);
  const reached: string[] = [];
  const provenanceDigests = new Set<string>();
  for (const item of items) {
    for (const p of item.data.provenance ?? []) {
      const names = sortedUnique(p.subjects.map((s) => s.name ?? '').filter((n) => n !== ''));
      const label = names.length > 0 ? `${item.path} (${names.join(', ')})` : item.path;
      for (const s of p.subjects) for (const d of digestKeys(s.digest)) provenanceDigests.add(d);
      const gaps: string[] = [];
      let level = 0;
      const hasBuilder = typeof p.builderId === 'string' && p.builderId.trim() !== '';
      const hasBuildType = typeof p.buildType === 'string' && p.buildType.trim() !== '';
      if (hasBuilder && hasBuildType) level = 1;
      else gaps.push(`L1 needs builder.id and buildType; ${[hasBuilder ? '' : 'builder.id', hasBuildType ? '' : 'buildType'].filter(Boolean).join(' and ')} missing`);
      if (params.level >= 2) {
        if (level === 1 && p.signed) level = 2;
        else if (!p.signed) gaps.push('L2 needs a signed envelope; the statement is not signed');
      }
      if (params.level >= 3) {
        const ok = hasBuilder && isTrustedBuilder(p.builderId!, trusted);
        if (level === 2 && ok) level = 3;
        else if (!ok) gaps.push(`L3 needs a trusted builder; ${hasBuilder ? `builder ${p.builderId} is not in the trusted list` : 'no builder.id'}`);
      }
      reached.push(`${label}: ${level === 0 ? 'below L1' : levelNames[Math.min(level, params.level)]}`);
      if (level < params.level) violations.push(`${label}: below SLSA Build ${levelNames[params.level]}: ${gaps.join('; ')}`);
    }
  }
  // The provenance must be about the artifact the SBOM describes.
  const sbomDigests = new Set<string>();
  for (const item of input.supporting) if (item.data.sbom?.subject) for (const d of digestKeys(item.data.sbom.subject.hashes)) sbomDigests.add(d);
  let note = '';
  if (sbomDigests.size > 0 && provenanceDigests.size > 0) {
    const algorithm = (d: string) => d.split(':')[0];
    const shared = new Set([...sbomDigests].map(algorithm).filter((a) => [...provenanceDigests].some((d) => algorithm(d) === a)));
    const comparable = (set: Set<string>) => [...set].filter((d) => shared.has(algorithm(d)));
    if (shared.size === 0) note = '; the SBOM subject and provenance subjects share no digest algorithm, so they were not compared';
    else if (!comparable(sbomDigests).some((d) => provenanceDigests.has(d))) {
      violations.push(`subject digest mismatch: the provenance subjects (${sortedUnique(comparable(provenanceDigests)).map(shortDigest).join(', ')}) do not include the artifact the SBOM describes (${sortedUnique(comparable(sbomDigests)).map(shortDigest).join(', ')})`);
    }
  }
  return verdict(violations, `${plural(reached.length, 'provenance statement')} checked for ${levelNames[params.level]}: ${reached.join('; ')}${note}`);
}

export const policy: BuiltinPolicy<SlsaProvenanceParams> = {
  meta: {
    name: 'slsa-provenance',
    title: 'SLSA build provenance at a level',
    description: 'Fails when provenance is below the SLSA Build `level` (L1: builder.id and buildType; L2: a signed envelope; L3: a trusted builder, from a documented default list plus `builders`), or when its subjects do not include the artifact an SBOM describes.',
    primary: ['slsa-provenance'],
    accepts: (item) => (item.facets.provenance ?? 0) > 0,
    supporting: ['cyclonedx', 'spdx'],
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        level: { type: 'integer', minimum: 1, maximum: 3, default: 1, description: 'The SLSA Build level to reach.' },
        builders: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'More builder ids trusted for L3 (`*` matches anything), added to the default list.',
        },
      },
    },
    // A higher level is stricter; the trusted builders must be the same.
    compatible: (entry, requirement) => entry.level >= requirement.level && deepEqual(entry.builders ?? [], requirement.builders ?? []),
  },
  evaluate,
};
