// vulnerabilities: no unresolved vulnerability at or above a severity.
import type { EvidenceKind } from '../../evidence/types.ts';
import type { EvidenceItem } from '../../model/types.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, plural, skippedNoPrimary, verdict } from '../shared/common.ts';
import { applyVex, collectVex, mergeFindings, packageLabel, severities, severityRank, vexItems, type Finding, type Severity } from '../shared/findings.ts';

export interface VulnerabilitiesParams {
  severity: Severity;
  unknownAs: Severity;
}

/** The scan kinds; a CycloneDX document counts only when it carries a scan (components and vulnerabilities). */
export const scanKinds: EvidenceKind[] = ['grype', 'trivy', 'osv-scanner', 'npm-audit', 'cyclonedx'];
export const scanKindsText = 'grype, trivy, osv-scanner, npm-audit or cyclonedx with vulnerabilities';
export const hasScan = (item: EvidenceItem): boolean => item.facets.scan !== undefined;

/** A finding's severity with UNKNOWN mapped to `unknownAs`. */
export function effectiveSeverity(f: Finding, unknownAs: Severity): Severity {
  return f.severity ?? unknownAs;
}

/** "CVE-2021-23337 (HIGH) in lodash@4.17.20 (also GHSA-35jh-r3h4-6jhm); fixed in 4.17.21". */
export function describeFinding(f: Finding, severity: Severity, unknownAs?: Severity): string {
  const others = f.ids.filter((id) => id !== f.id);
  const sev = f.severity === undefined && unknownAs !== undefined ? `${severity}, severity unknown` : severity;
  let text = `${f.id} (${sev}) in ${packageLabel(f.package)}`;
  if (others.length > 0) text += ` (also ${others.join(', ')})`;
  if (f.fixedVersions.length > 0) text += `; fixed in ${f.fixedVersions.join(', ')}`;
  return text;
}

function evaluate(input: PolicyInput, params: VulnerabilitiesParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(scanKinds, 'vulnerability scan', scanKindsText);
  const findings = mergeFindings(items);
  const { open, resolved } = applyVex(findings, collectVex(vexItems({ primary: items, supporting: input.supporting })));
  const threshold = severityRank[params.severity];
  const violations = brokenViolations(items);
  let below = 0;
  for (const f of open) {
    const s = effectiveSeverity(f, params.unknownAs);
    if (severityRank[s] >= threshold) violations.push(describeFinding(f, s, params.unknownAs));
    else below++;
  }
  const reason = `${plural(findings.length, 'finding')} in ${plural(items.length, 'scan')}; ${resolved.length} resolved by VEX; ${below} below ${params.severity}`;
  return verdict(violations, reason);
}

export const policy: BuiltinPolicy<VulnerabilitiesParams> = {
  meta: {
    name: 'vulnerabilities',
    title: 'No unresolved vulnerabilities at or above a severity',
    description: 'Fails when a vulnerability scan reports a vulnerability at or above `severity` that no VEX statement resolves (not_affected, fixed). Findings of several scanners are merged by id or alias and package.',
    primary: scanKinds,
    accepts: hasScan,
    supporting: ['openvex', 'cyclonedx'],
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        severity: { enum: [...severities], default: 'HIGH', description: 'The lowest severity that fails.' },
        unknownAs: { enum: [...severities], default: 'HIGH', description: 'The severity given to findings without one.' },
      },
    },
    // A scan judged at MEDIUM covers HIGH and CRITICAL requirements, not the reverse.
    compatible: (entry, requirement) => severityRank[entry.severity] <= severityRank[requirement.severity] && entry.unknownAs === requirement.unknownAs,
  },
  evaluate,
};
