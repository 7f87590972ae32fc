// The registry of built-in policies and every compatibility rule of SPEC section 4.
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { builtinPolicies, canonicalPolicyName, getBuiltinPolicy } from '../../src/policies/index.ts';
import { params } from './helpers.ts';

describe('builtinPolicies', () => {
  it('lists the policies of the SPEC table, in its order', () => {
    expect(Object.keys(builtinPolicies)).toEqual([
      'sbom-present',
      'sbom-ntia-minimum',
      'sbom-banned-licenses',
      'vulnerabilities',
      'cves-in-kev',
      'vulnerability-remediation-sla',
      'artifact-signed',
      'slsa-provenance',
      'sarif-findings',
      'tests-passed',
      'scorecard',
      'secrets-scan',
      'branch-protection',
      'commits-signed',
    ]);
  });

  it('keys every policy by its meta name', () => {
    for (const [name, p] of Object.entries(builtinPolicies)) expect(p.meta.name).toBe(name);
  });

  it('has a valid draft 2020-12 schema without additional properties for every policy', () => {
    type AjvClass = typeof import('ajv/dist/2020.js').default;
    const Ajv = ((Ajv2020 as unknown as { default?: AjvClass }).default ?? Ajv2020) as AjvClass;
    const ajv = new Ajv({ strict: true, strictRequired: false, addUsedSchema: false, allowUnionTypes: true });
    for (const p of Object.values(builtinPolicies)) {
      expect(ajv.validateSchema(p.meta.parameters), p.meta.name).toBe(true);
      expect(p.meta.parameters.additionalProperties, p.meta.name).toBe(false);
      expect(() => ajv.compile(p.meta.parameters), p.meta.name).not.toThrow();
    }
  });

  it('gives every policy except commits-signed primary kinds', () => {
    for (const p of Object.values(builtinPolicies)) {
      if (p.meta.name === 'commits-signed') {
        expect(p.meta.primary).toEqual([]);
        expect(p.meta.readsGitLog).toBe(true);
      } else expect(p.meta.primary.length, p.meta.name).toBeGreaterThan(0);
    }
  });
});

describe('canonicalPolicyName and getBuiltinPolicy', () => {
  it.each([
    ['container-signed', 'artifact-signed'],
    ['artifact-signed', 'artifact-signed'],
    ['vulnerabilities', 'vulnerabilities'],
    ['no-such-policy', undefined],
    ['Vulnerabilities', undefined],
  ])('%s → %s', (name, canonical) => {
    expect(canonicalPolicyName(name)).toBe(canonical);
    expect(getBuiltinPolicy(name)?.meta.name).toBe(canonical);
  });
});

describe('compatibility (both sides after defaults)', () => {
  const compatible = (name: string, entry: Record<string, unknown>, requirement: Record<string, unknown>) => {
    const p = builtinPolicies[name];
    return p.meta.compatible(params(p, entry), params(p, requirement));
  };

  it.each([
    // vulnerabilities: the entry's severity at or below the requirement's, same unknownAs
    ['vulnerabilities', { severity: 'MEDIUM' }, { severity: 'HIGH' }, true],
    ['vulnerabilities', { severity: 'MEDIUM' }, { severity: 'MEDIUM' }, true],
    ['vulnerabilities', { severity: 'MEDIUM' }, { severity: 'CRITICAL' }, true],
    ['vulnerabilities', { severity: 'CRITICAL' }, { severity: 'HIGH' }, false],
    ['vulnerabilities', { severity: 'CRITICAL' }, { severity: 'CRITICAL' }, true],
    ['vulnerabilities', { severity: 'LOW' }, {}, true],
    ['vulnerabilities', {}, { severity: 'MEDIUM' }, false],
    ['vulnerabilities', { severity: 'LOW', unknownAs: 'LOW' }, { severity: 'HIGH' }, false],
    // sarif-findings: same or lower level and same or lower max
    ['sarif-findings', { level: 'warning' }, { level: 'error' }, true],
    ['sarif-findings', { level: 'note' }, { level: 'warning' }, true],
    ['sarif-findings', { level: 'error' }, { level: 'warning' }, false],
    ['sarif-findings', { max: 0 }, { max: 5 }, true],
    ['sarif-findings', { max: 5 }, { max: 0 }, false],
    ['sarif-findings', { level: 'warning', max: 3 }, { level: 'error', max: 2 }, false],
    // slsa-provenance: same or higher level, other parameters equal
    ['slsa-provenance', { level: 3 }, { level: 2 }, true],
    ['slsa-provenance', { level: 2 }, { level: 2 }, true],
    ['slsa-provenance', { level: 1 }, { level: 2 }, false],
    ['slsa-provenance', { level: 3, builders: ['https://b'] }, { level: 3 }, false],
    // scorecard: same or higher min, checks equal
    ['scorecard', { min: 8 }, { min: 7 }, true],
    ['scorecard', { min: 6 }, {}, false],
    ['scorecard', { min: 8, checks: { 'Code-Review': 8 } }, { min: 7 }, false],
    ['scorecard', { min: 8, checks: { 'Code-Review': 8 } }, { min: 7, checks: { 'Code-Review': 8 } }, true],
    // everything else: equal values after defaults
    ['tests-passed', {}, { min: 1 }, true],
    ['tests-passed', { min: 2 }, { min: 1 }, false],
    ['branch-protection', { reviews: 2 }, { reviews: 1 }, false],
    ['branch-protection', { enforceAdmins: true }, {}, true],
    ['sbom-present', { format: 'spdx' }, {}, false],
    ['sbom-banned-licenses', {}, { licenses: ['AGPL-1.0-only', 'AGPL-1.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'] }, true],
    ['sbom-banned-licenses', { licenses: ['GPL-3.0-only'] }, {}, false],
    ['vulnerability-remediation-sla', { days: { HIGH: 14 } }, {}, true],
    ['vulnerability-remediation-sla', { days: { HIGH: 7 } }, {}, false],
    ['artifact-signed', { publicKey: 'keys/a.pem' }, { publicKey: 'keys/a.pem' }, true],
    ['artifact-signed', { publicKey: 'keys/a.pem' }, {}, false],
    ['commits-signed', { since: 'P90D' }, { since: 'P90D' }, true],
    ['commits-signed', { since: 'P90D' }, {}, false],
    ['cves-in-kev', {}, {}, true],
    ['secrets-scan', {}, {}, true],
    ['sbom-ntia-minimum', { requireSupplier: false }, {}, false],
  ])('%s: entry %j for requirement %j → %s', (name, entry, requirement, expected) => {
    expect(compatible(name, entry, requirement)).toBe(expected);
  });
});
