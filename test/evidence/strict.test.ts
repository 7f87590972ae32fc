// validate --strict-evidence: schema and structural checks, positioned in the file.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../src/evidence/read.ts';
import { validateEvidenceStrict } from '../../src/evidence/strict.ts';

const strict = async (path: string, text: string) => {
  const bytes = new TextEncoder().encode(text);
  return validateEvidenceStrict(path, bytes, readEvidence(path, bytes));
};
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

describe('validateEvidenceStrict', () => {
  it('validates CycloneDX JSON against the schema of its spec version, with positions', async () => {
    const problems = await strict(
      'bom.cdx.json',
      pretty({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, metadata: { timestamp: 'yesterday' }, components: [{ type: 'libary', name: 'x', bogus: 1 }, { name: 'y' }] }),
    );
    expect(problems).toEqual([
      { severity: 'error', code: 'evidence-schema', message: '/metadata/timestamp must match format "date-time" (CycloneDX 1.5 schema)', line: 6, column: 18 },
      { severity: 'error', code: 'evidence-schema', message: '/components/0 must not have the property "bogus" (CycloneDX 1.5 schema)', line: 9, column: 5 },
      { severity: 'error', code: 'evidence-schema', message: expect.stringMatching(/^\/components\/0\/type must be one of "application", "framework", "library"/), line: 10, column: 15 },
      { severity: 'error', code: 'evidence-schema', message: '/components/1 must have the property "type" (CycloneDX 1.5 schema)', line: 14, column: 5 },
    ]);
  });

  it('accepts a valid CycloneDX document of each supported version', async () => {
    for (const specVersion of ['1.2', '1.3', '1.4', '1.5', '1.6']) {
      const bom = { bomFormat: 'CycloneDX', specVersion, version: 1, components: [{ type: 'library', name: 'lodash', version: '4.17.21', licenses: [{ license: { id: 'MIT' } }], purl: 'pkg:npm/lodash@4.17.21' }] };
      expect(await strict('bom.json', pretty(bom)), specVersion).toEqual([]);
    }
  });

  it('rejects an unknown SPDX licence id through the registered SPDX schema', async () => {
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'NOT-A-LICENSE' } }] }] };
    const problems = await strict('bom.json', pretty(bom));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'evidence-schema' && p.severity === 'error')).toBe(true);
    expect(problems.some((p) => p.message.startsWith('/components/0/licenses/0'))).toBe(true);
  });

  it('notes that CycloneDX XML is not schema-validated', async () => {
    expect(await strict('bom.xml', '<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components/></bom>')).toEqual([
      { severity: 'note', code: 'evidence-schema', message: expect.stringContaining('native addon'), hint: expect.stringContaining('cyclonedx validate') },
    ]);
  });

  it('checks SARIF structure', async () => {
    const problems = await strict(
      'scan.sarif',
      pretty({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'r1' }] } }, results: [{ ruleIndex: 3, level: 'bad', message: {}, suppressions: [{ status: 'maybe' }] }] }] }),
    );
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [16, '/runs/0/results/0/message needs a text or an id.'],
      [17, "/runs/0/results/0/ruleIndex 3 does not name one of the run's 1 rules."],
      [18, '/runs/0/results/0/level must be one of none, note, warning, error.'],
      [21, '/runs/0/results/0/suppressions/0/kind must be inSource or external.'],
      [22, '/runs/0/results/0/suppressions/0/status must be accepted, underReview or rejected.'],
    ]);
  });

  it('checks OpenVEX status rules', async () => {
    const problems = await strict(
      'a.openvex.json',
      pretty({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'x', author: 'a', timestamp: '2024-01-01T00:00:00Z', version: 1, statements: [{ vulnerability: { name: 'CVE-1' }, status: 'not_affected' }, { vulnerability: { name: 'CVE-2' }, status: 'affected' }, { vulnerability: { name: 'CVE-3' }, status: 'fixed', justification: 'because' }] }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      '/statements/0 is not_affected and needs a justification or an impact_statement.',
      '/statements/1 is affected and needs an action_statement.',
      expect.stringMatching(/^\/statements\/2\/justification must be one of component_not_present/),
    ]);
  });

  it('checks SPDX 2 document and package fields', async () => {
    const problems = await strict('s.spdx.json', pretty({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'd', creationInfo: { created: '2024-01-01T00:00:00Z', creators: [] }, packages: [{ SPDXID: 'SPDXRef-a b', name: 'a' }] }));
    expect(problems.map((p) => p.message)).toEqual([
      'The document needs dataLicense.',
      'The document needs documentNamespace.',
      'creationInfo.creators needs at least one creator.',
      '/packages/0 needs downloadLocation.',
      '/packages/0/SPDXID "SPDXRef-a b" is not SPDXRef- followed by letters, digits, dots and dashes.',
    ]);
  });

  it('has nothing to check for a plain file', async () => {
    expect(await strict('notes.json', '{"a":1}')).toEqual([]);
  });

  const corpus = new URL('../../../shared/corpus/', import.meta.url);
  it.skipIf(!existsSync(corpus))('passes the corpus CycloneDX JSON SBOMs', async () => {
    for (const f of ['cyclonedx/valid-bom-1.6.json', 'cyclonedx/generated-cyclonedx-npm.cdx.json', 'cyclonedx/laravel-7.12.0.bom.1.4.json', 'sarif/codeql-valid-sarif.sarif', 'vex/openvex-v0.2.0.json', 'spdx/appbomination.spdx.json']) {
      const bytes = readFileSync(new URL(f, corpus));
      expect(await validateEvidenceStrict(f, bytes, readEvidence(f, bytes)), f).toEqual([]);
    }
  });
});
