// The built-in policies, by canonical name, in the order of SPEC section 4.
import type { BuiltinPolicy } from './types.ts';
import { usePrecompiled } from './parameters.ts';
import * as generated from './parameter-validators.generated.ts';
import { policy as sbomPresent } from './builtin/sbom-present.ts';
import { policy as sbomNtiaMinimum } from './builtin/sbom-ntia-minimum.ts';
import { policy as sbomBannedLicenses } from './builtin/sbom-banned-licenses.ts';
import { policy as vulnerabilities } from './builtin/vulnerabilities.ts';
import { policy as cvesInKev } from './builtin/cves-in-kev.ts';
import { policy as vulnerabilityRemediationSla } from './builtin/vulnerability-remediation-sla.ts';
import { policy as artifactSigned } from './builtin/artifact-signed.ts';
import { policy as slsaProvenance } from './builtin/slsa-provenance.ts';
import { policy as sarifFindings } from './builtin/sarif-findings.ts';
import { policy as testsPassed } from './builtin/tests-passed.ts';
import { policy as scorecard } from './builtin/scorecard.ts';
import { policy as secretsScan } from './builtin/secrets-scan.ts';
import { policy as branchProtection } from './builtin/branch-protection.ts';
import { policy as commitsSigned } from './builtin/commits-signed.ts';

const ordered: BuiltinPolicy[] = [
  sbomPresent,
  sbomNtiaMinimum,
  sbomBannedLicenses,
  vulnerabilities,
  cvesInKev,
  vulnerabilityRemediationSla,
  artifactSigned,
  slsaProvenance,
  sarifFindings,
  testsPassed,
  scorecard,
  secretsScan,
  branchProtection,
  commitsSigned,
];

/** Canonical name → policy, in the order of the SPEC's table. */
export const builtinPolicies: Readonly<Record<string, BuiltinPolicy>> = Object.freeze(Object.fromEntries(ordered.map((p) => [p.meta.name, p])));

// Their parameter validators come compiled ahead of time (see precompiled-parameters.ts).
for (const p of ordered) usePrecompiled(p.meta.parameters, (generated.validators as Record<string, unknown>)[p.meta.name], (generated.digests as Record<string, string>)[p.meta.name]);

const byNameOrAlias = new Map<string, string>();
for (const p of ordered) {
  byNameOrAlias.set(p.meta.name, p.meta.name);
  for (const alias of p.meta.aliases ?? []) byNameOrAlias.set(alias, p.meta.name);
}

/** `container-signed` → `artifact-signed`; a canonical name → itself; unknown → undefined. */
export function canonicalPolicyName(nameOrAlias: string): string | undefined {
  return byNameOrAlias.get(nameOrAlias);
}

/** The built-in policy a name or alias stands for. */
export function getBuiltinPolicy(nameOrAlias: string): BuiltinPolicy | undefined {
  const name = canonicalPolicyName(nameOrAlias);
  return name === undefined ? undefined : builtinPolicies[name];
}

export type { BuiltinPolicy, PolicyInput, PolicyMeta, PolicyVerdict } from './types.ts';
