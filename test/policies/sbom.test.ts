// sbom-present, sbom-ntia-minimum, sbom-banned-licenses.
import { describe, expect, it } from 'vitest';
import { policy as bannedLicenses } from '../../src/policies/builtin/sbom-banned-licenses.ts';
import { policy as ntia } from '../../src/policies/builtin/sbom-ntia-minimum.ts';
import { policy as sbomPresent } from '../../src/policies/builtin/sbom-present.ts';
import { checkLicenseExpression, normalizeLicenseId } from '../../src/policies/shared/licenses.ts';
import { component, input, item, run, sbom } from './helpers.ts';

describe('sbom-present', () => {
  it('passes with a CycloneDX SBOM and names it', () => {
    const bom = item('cyclonedx', { sbom: sbom([component('a', '1')]) }, { path: 'evidence/app/bom.json' });
    expect(run(sbomPresent, input([bom]))).toEqual({ status: 'PASSED', violations: [], reason: 'SBOM present: evidence/app/bom.json (CycloneDX 1.6, 1 components)' });
  });

  it('is SKIPPED without an SBOM, naming the kinds', () => {
    expect(run(sbomPresent, input([]))).toEqual({ status: 'SKIPPED', violations: [], reason: 'No SBOM to read (evidence kinds: cyclonedx or spdx).' });
  });

  it('does not count a CycloneDX document that is VEX only', () => {
    const vexOnly = item('cyclonedx', { vex: { statements: [] } });
    expect(run(sbomPresent, input([vexOnly])).status).toBe('SKIPPED');
  });

  it('with format: SKIPPED when only the other format is present', () => {
    const spdx = item('spdx', { sbom: sbom([], { format: 'spdx', specVersion: '2.3' }) }, { path: 'evidence/app/sbom.spdx.json' });
    expect(run(sbomPresent, input([spdx]), { format: 'cyclonedx' })).toEqual({
      status: 'SKIPPED',
      violations: [],
      reason: 'No CycloneDX SBOM among the evidence; found only evidence/app/sbom.spdx.json (SPDX 2.3, 0 components).',
    });
    expect(run(sbomPresent, input([spdx]), { format: 'spdx' }).status).toBe('PASSED');
  });
});

describe('sbom-ntia-minimum', () => {
  const path = 'evidence/app/bom.json';
  const evaluate = (s: ReturnType<typeof sbom>, given: Record<string, unknown> = {}) => run(ntia, input([item('cyclonedx', { sbom: s }, { path })]), given);

  it('passes a complete SBOM', () => {
    const v = evaluate(sbom([component('a', '1'), component('b', '2')]));
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: '1 SBOM, 2 components checked' });
  });

  it.each([
    ['a component without supplier', [component('a', '1', { supplier: undefined })], {}, [`${path}: component a@1 lacks a supplier`]],
    ['no supplier needed when requireSupplier is false', [component('a', '1', { supplier: undefined })], { requireSupplier: false }, []],
    ['a component without version and identifier', [component('a', '', { purl: undefined, version: undefined })], {}, [`${path}: component a lacks a version, a unique identifier (purl, CPE, SWID or SPDXID)`]],
    ['a CPE is a unique identifier', [component('a', '1', { purl: undefined, cpe: 'cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*' })], {}, []],
    ['a nameless component', [component('', '1', { name: undefined, purl: undefined, bomRef: undefined, spdxId: 'SPDXRef-x' })], {}, [`${path}: component SPDXRef-x is in no dependency relationship`, `${path}: component SPDXRef-x lacks a name`]],
  ])('%s', (_title, components, given, violations) => {
    const s = sbom(components);
    expect(evaluate(s, given).violations).toEqual(violations);
  });

  it('fails a document without timestamp, author or tool', () => {
    const v = evaluate(sbom([component('a', '1')], { timestamp: undefined, tools: [], authors: [] }));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([`${path}: the SBOM has no timestamp`, `${path}: the SBOM names no author and no tool`]);
  });

  it('accepts an author instead of a tool', () => {
    expect(evaluate(sbom([component('a', '1')], { tools: [], authors: ['Jane'] })).status).toBe('PASSED');
  });

  it('fails when there are no dependency relationships at all (one violation, not one per component)', () => {
    const v = evaluate(sbom([component('a', '1'), component('b', '1')], { dependencies: [] }));
    expect(v.violations).toEqual([`${path}: the SBOM has no dependency relationships`]);
  });

  it('names each component that is in no relationship', () => {
    const s = sbom([component('a', '1'), component('b', '1')], { dependencies: [{ ref: 'a@1', dependsOn: [] }] });
    expect(evaluate(s).violations).toEqual([`${path}: component b@1 is in no dependency relationship`]);
  });

  it('fails an SBOM without components', () => {
    expect(evaluate(sbom([])).violations).toEqual([`${path}: the SBOM lists no components`]);
  });

  it('is SKIPPED without an SBOM', () => {
    expect(run(ntia, input([])).status).toBe('SKIPPED');
  });
});

describe('licence expressions', () => {
  const banned = ['AGPL-1.0-only', 'AGPL-1.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'];
  it.each([
    ['MIT OR AGPL-3.0-only', 'ok'],
    ['MIT AND AGPL-3.0-only', 'banned'],
    ['(MIT OR GPL-2.0-only) AND AGPL-3.0-or-later', 'banned'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'ok'],
    ['Apache-2.0', 'ok'],
    ['AGPL-3.0', 'banned'], // deprecated id = AGPL-3.0-only
    ['AGPL-3.0+', 'banned'], // + = or-later
    ['AGPL-3.0-only+', 'banned'],
    ['agpl-3.0-only', 'banned'], // ids are case-insensitive
    ['mit or agpl-3.0-only', 'ok'],
    ['AGPL-3.0-only WITH Classpath-exception-2.0', 'banned'], // an exception does not lift the ban
    ['(AGPL-3.0-only OR MIT) AND (Apache-2.0 OR AGPL-1.0-or-later)', 'ok'],
    ['(AGPL-3.0-only OR AGPL-1.0-only) AND MIT', 'banned'],
    ['LicenseRef-acme-proprietary', 'ok'],
    ['MIT OR NotALicence', 'ok'],
    ['MIT AND', 'invalid'],
    ['MIT,Apache-2.0', 'invalid'],
  ])('%s → %s', (expression, status) => {
    expect(checkLicenseExpression(expression, banned).status).toBe(status);
  });

  it('names the banned ids and the unknown ones', () => {
    expect(checkLicenseExpression('(MIT OR AGPL-3.0-only) AND FooBar AND AGPL-1.0-only', banned)).toEqual({ status: 'banned', banned: ['AGPL-1.0-only', 'AGPL-3.0-only'], unknown: ['FooBar'] });
  });

  it('bans an exact "id WITH exception" entry only for that exception', () => {
    const list = ['GPL-2.0-only WITH Classpath-exception-2.0'];
    expect(checkLicenseExpression('GPL-2.0-only WITH Classpath-exception-2.0', list).status).toBe('banned');
    expect(checkLicenseExpression('GPL-2.0-only', list).status).toBe('ok');
  });

  it('bans an unknown id or a LicenseRef when listed', () => {
    expect(checkLicenseExpression('LicenseRef-commons-clause', ['LicenseRef-Commons-Clause']).status).toBe('banned');
    expect(checkLicenseExpression('SSPL', ['sspl']).status).toBe('banned');
  });

  it.each([
    ['GPL-2.0', 'gpl-2.0-only'],
    ['GPL-2.0+', 'gpl-2.0-or-later'],
    ['GPL-2.0-only+', 'gpl-2.0-or-later'],
    ['MIT', 'mit'],
    ['Apache-2.0+', 'apache-2.0+'],
  ])('normalizeLicenseId(%s) = %s', (id, normal) => {
    expect(normalizeLicenseId(id)).toBe(normal);
  });
});

describe('sbom-banned-licenses', () => {
  const path = 'evidence/app/bom.json';
  const evaluate = (components: ReturnType<typeof component>[], given: Record<string, unknown> = {}) => run(bannedLicenses, input([item('cyclonedx', { sbom: sbom(components) }, { path })]), given);

  it('passes when every expression avoids the default banned list', () => {
    const v = evaluate([component('a', '1', { licenseExpression: 'MIT OR AGPL-3.0-only' }), component('b', '1', { licenseExpression: 'GPL-2.0-only WITH Classpath-exception-2.0' }), component('c', '1')]);
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: '2 licence expressions checked in 1 SBOM; 1 components declare none' });
  });

  it('fails a component whose expression needs a banned licence, naming it', () => {
    const v = evaluate([component('a', '1', { licenseExpression: 'MIT AND AGPL-3.0-only' }), component('z', '2', { licenseExpression: '(MIT OR GPL-2.0-only) AND AGPL-3.0-or-later' })]);
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([
      `${path}: component a@1 is licensed "MIT AND AGPL-3.0-only", which cannot be satisfied without a banned licence (AGPL-3.0-only)`,
      `${path}: component z@2 is licensed "(MIT OR GPL-2.0-only) AND AGPL-3.0-or-later", which cannot be satisfied without a banned licence (AGPL-3.0-or-later)`,
    ]);
  });

  it('fails an expression that does not parse, saying so', () => {
    const v = evaluate([component('a', '1', { licenseExpression: 'MIT AND' })]);
    expect(v.violations).toHaveLength(1);
    expect(v.violations[0]).toMatch(/^evidence\/app\/bom\.json: component a@1 has the licence expression "MIT AND", which is not a valid SPDX expression \(.+\), so it cannot be checked$/);
  });

  it('notes ids that are not on the SPDX list without failing', () => {
    const v = evaluate([component('a', '1', { licenseExpression: 'Acme-Licence' })]);
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: '1 licence expression checked in 1 SBOM; 0 components declare none; not on the SPDX licence list: Acme-Licence (a@1)' });
  });

  it('uses the given list instead of the default', () => {
    const components = [component('a', '1', { licenseExpression: 'GPL-3.0-or-later' }), component('b', '1', { licenseExpression: 'AGPL-3.0-only' })];
    const v = evaluate(components, { licenses: ['GPL-3.0-or-later'] });
    expect(v.violations).toEqual([`${path}: component a@1 is licensed "GPL-3.0-or-later", which cannot be satisfied without a banned licence (GPL-3.0-or-later)`]);
  });

  it('is SKIPPED without an SBOM', () => {
    expect(run(bannedLicenses, input([])).status).toBe('SKIPPED');
  });
});
