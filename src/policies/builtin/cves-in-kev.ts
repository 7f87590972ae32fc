// cves-in-kev: no found CVE is in CISA's Known Exploited Vulnerabilities catalog.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { acceptedItems, brokenViolations, equalParameters, plural, skipped, skippedNoPrimary, sortedUnique, verdict } from '../shared/common.ts';
import { applyVex, collectVex, mergeFindings, packageLabel, vexItems } from '../shared/findings.ts';
import { hasScan, scanKinds, scanKindsText } from './vulnerabilities.ts';

export type CvesInKevParams = Record<string, never>;

function evaluate(input: PolicyInput, _params: CvesInKevParams): PolicyVerdict {
  const items = acceptedItems(policy.meta, input.primary);
  if (items.length === 0) return skippedNoPrimary(scanKinds, 'vulnerability scan', scanKindsText);
  const catalogs = input.supporting.filter((item) => item.kind === 'kev' && item.data.kev !== undefined);
  if (catalogs.length === 0) return skipped('No KEV catalog among the evidence: add CISA\'s known_exploited_vulnerabilities.json (for example under evidence/_shared/).');
  const kev = new Set(catalogs.flatMap((c) => c.data.kev?.cves ?? []).map((id) => id.trim().toUpperCase()));
  const versions = sortedUnique(catalogs.map((c) => c.data.kev?.version ?? c.data.kev?.dateReleased ?? c.path));
  const findings = mergeFindings(items);
  const { open, resolved } = applyVex(findings, collectVex(vexItems({ primary: items, supporting: input.supporting })));
  const violations = brokenViolations(items);
  for (const f of open) {
    const cves = f.ids.filter((id) => kev.has(id.toUpperCase()));
    if (cves.length > 0) violations.push(`${cves.join(', ')} in ${packageLabel(f.package)} is in the KEV catalog (known exploited)`);
  }
  const resolvedInKev = resolved.filter((r) => r.finding.ids.some((id) => kev.has(id.toUpperCase())));
  let reason = `${plural(findings.length, 'finding')} checked against the KEV catalog ${versions.join(', ')} (${plural(kev.size, 'CVE')})`;
  if (resolvedInKev.length > 0) reason += `; ${plural(resolvedInKev.length, 'KEV finding')} resolved by VEX: ${sortedUnique(resolvedInKev.map((r) => `${r.finding.id} in ${packageLabel(r.finding.package)} (${r.statement.status}, ${r.statement.source})`)).join('; ')}`;
  return verdict(violations, reason);
}

export const policy: BuiltinPolicy<CvesInKevParams> = {
  meta: {
    name: 'cves-in-kev',
    title: 'No known exploited vulnerabilities',
    description: 'Fails when a CVE found by a vulnerability scan is in CISA\'s Known Exploited Vulnerabilities catalog and no VEX statement resolves it. SKIPPED without a KEV catalog.',
    primary: scanKinds,
    accepts: hasScan,
    // The KEV catalog is required (checked in evaluate); VEX statements resolve findings as for `vulnerabilities`.
    supporting: ['kev', 'openvex', 'cyclonedx'],
    supportingRequired: true,
    parameters: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false, properties: {} },
    compatible: equalParameters,
  },
  evaluate,
};
