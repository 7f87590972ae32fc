// Each reader on small inline documents: the edge cases of its format.
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../src/evidence/read.ts';
import { readLicenses } from '../../src/evidence/readers/cyclonedx.ts';

const json = (path: string, value: unknown) => readEvidence(path, new TextEncoder().encode(JSON.stringify(value, null, 2)));
const xml = (path: string, text: string) => readEvidence(path, new TextEncoder().encode(text));
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('CycloneDX', () => {
  describe('licences → one SPDX expression', () => {
    it.each([
      [[{ license: { id: 'MIT' } }], { licenseExpression: 'MIT' }],
      [[{ license: { id: 'MIT' } }, { license: { id: 'Apache-2.0' } }], { licenseExpression: 'MIT AND Apache-2.0' }],
      [[{ expression: 'MIT OR Apache-2.0' }], { licenseExpression: 'MIT OR Apache-2.0' }],
      [[{ expression: 'MIT OR AGPL-3.0-only' }, { license: { id: 'BSD-3-Clause' } }], { licenseExpression: '(MIT OR AGPL-3.0-only) AND BSD-3-Clause' }],
      [[{ expression: '(MIT OR Apache-2.0)' }, { license: { id: 'ISC' } }], { licenseExpression: '(MIT OR Apache-2.0) AND ISC' }],
      [[{ expression: '(MIT) OR (ISC)' }, { license: { id: 'ISC' } }], { licenseExpression: '((MIT) OR (ISC)) AND ISC' }],
      [[{ expression: 'GPL-2.0-only WITH Classpath-exception-2.0' }, { license: { id: 'MIT' } }], { licenseExpression: 'GPL-2.0-only WITH Classpath-exception-2.0 AND MIT' }],
      [[{ license: { id: 'MIT' } }, { license: { id: 'MIT' } }], { licenseExpression: 'MIT' }],
      [[{ license: { name: 'Some random license' } }], { licenseNames: ['Some random license'] }],
      [[{ license: { id: 'MIT' } }, { license: { name: 'Custom EULA' } }], { licenseExpression: 'MIT', licenseNames: ['Custom EULA'] }],
      [[], {}],
    ])('%j', (licenses, expected) => {
      expect(readLicenses(licenses)).toEqual(expected);
    });
  });

  it('flattens nested components, joins group and name, and picks the supplier', () => {
    const r = json('bom.cdx.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      metadata: { timestamp: '2024-03-01T10:00:00+01:00', authors: [{ email: 'sec@example.org' }], tools: { components: [{ group: 'acme', name: 'sbom-gen', version: '2.0' }], services: [{ name: 'scanner-api' }] }, component: { type: 'application', name: 'app', version: '1.0', 'bom-ref': 'app' } },
      components: [
        { type: 'library', group: '@angular', name: 'core', version: '17.0.0', supplier: { name: 'Google' }, publisher: 'Someone else', hashes: [{ alg: 'SHA-256', content: 'AB12' }], 'bom-ref': 'core', components: [{ type: 'library', name: 'inner', manufacturer: { name: 'Inner Inc' }, 'bom-ref': 'inner' }] },
        { type: 'library', name: 'authored-only', author: 'Jane Doe', 'bom-ref': 'a' },
      ],
      dependencies: [{ ref: 'app', dependsOn: ['core'] }, { ref: 'core', dependsOn: ['inner'] }],
    });
    expect(r.kind).toBe('cyclonedx');
    expect(r.timestamp).toBe('2024-03-01T09:00:00.000Z');
    const sbom = r.data.sbom!;
    expect(sbom.authors).toEqual(['sec@example.org']);
    expect(sbom.tools).toEqual(['acme/sbom-gen@2.0', 'scanner-api']);
    expect(sbom.components.map((c) => [c.name, c.supplier ?? null])).toEqual([
      ['@angular/core', 'Google'],
      ['inner', 'Inner Inc'],
      // An author is a person who wrote the code, not a supplier.
      ['authored-only', null],
    ]);
    expect(sbom.components[0]!.hashes).toEqual({ sha256: 'ab12' });
    expect(sbom.dependencies).toEqual([{ ref: 'app', dependsOn: ['core'] }, { ref: 'core', dependsOn: ['inner'] }]);
    expect(r.data.scan).toBeUndefined();
    expect(r.data.vex).toBeUndefined();
  });

  it('reads a BOM with components and vulnerabilities as SBOM, scan and VEX', () => {
    const r = json('bom.cdx.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      metadata: { timestamp: '2024-05-01T00:00:00Z', component: { name: 'svc', version: '3' } },
      components: [{ type: 'library', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15', 'bom-ref': 'lodash-ref' }],
      vulnerabilities: [
        {
          id: 'CVE-2020-8203',
          references: [{ id: 'GHSA-p6mc-m468-83gw', source: { name: 'GitHub' } }],
          ratings: [{ severity: 'medium' }, { score: 9.1, method: 'CVSSv31' }, { severity: 'info' }],
          description: 'Prototype pollution in lodash\nMore detail.',
          affects: [{ ref: 'lodash-ref' }],
          analysis: { state: 'resolved_with_pedigree', lastUpdated: '2024-05-02T00:00:00Z' },
        },
        { id: 'CVE-2021-23337', ratings: [{ severity: 'high' }], affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lodash-ref' }], analysis: { state: 'false_positive' } },
        { id: 'CVE-2099-0001', ratings: [], affects: [{ ref: 'pkg:npm/other@1.0.0' }], analysis: { state: 'in_triage' } },
        { id: 'CVE-2099-0002', analysis: { state: 'exploitable' } },
        { id: 'CVE-2099-0003', ratings: [{ severity: 'unknown' }], analysis: { state: 'not_affected', justification: 'code_not_reachable' } },
      ],
    });
    expect(r.format).toBe('CycloneDX 1.5 JSON');
    expect(r.data.sbom!.components).toHaveLength(1);
    expect(r.data.scan!.scanner).toBe('cyclonedx');
    expect(r.data.scan!.target).toBe('svc@3');
    expect(r.data.scan!.vulnerabilities.map((v) => [v.id, v.severity, v.package?.purl ?? v.package?.name ?? null])).toEqual([
      // The highest rating wins; a rating with only a score is banded.
      ['CVE-2020-8203', 'CRITICAL', 'pkg:npm/lodash@4.17.15'],
      // A BOM-Link to a component of this BOM resolves to it.
      ['CVE-2021-23337', 'HIGH', 'pkg:npm/lodash@4.17.15'],
      ['CVE-2099-0001', 'UNKNOWN', 'pkg:npm/other@1.0.0'],
      ['CVE-2099-0002', 'UNKNOWN', null],
      ['CVE-2099-0003', 'UNKNOWN', null],
    ]);
    expect(r.data.scan!.vulnerabilities[0]).toMatchObject({ aliases: ['GHSA-p6mc-m468-83gw'], title: 'Prototype pollution in lodash' });
    expect(r.data.vex!.statements.map((s) => [s.vulnerability, s.status, s.justification ?? null, s.products, s.timestamp])).toEqual([
      ['CVE-2020-8203', 'fixed', null, ['pkg:npm/lodash@4.17.15'], '2024-05-02T00:00:00.000Z'],
      ['CVE-2021-23337', 'not_affected', 'false_positive', ['pkg:npm/lodash@4.17.15'], '2024-05-01T00:00:00.000Z'],
      ['CVE-2099-0001', 'under_investigation', null, ['pkg:npm/other@1.0.0'], '2024-05-01T00:00:00.000Z'],
      ['CVE-2099-0002', 'affected', null, [], '2024-05-01T00:00:00.000Z'],
      ['CVE-2099-0003', 'not_affected', 'code_not_reachable', [], '2024-05-01T00:00:00.000Z'],
    ]);
  });

  it('reads a document with analysed vulnerabilities and no components as VEX only', () => {
    const r = json('vex.cdx.json', { bomFormat: 'CycloneDX', specVersion: '1.4', vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'not_affected' }, affects: [{ ref: 'pkg:npm/a@1' }] }] });
    expect(r.format).toBe('CycloneDX 1.4 JSON (VEX)');
    expect(Object.keys(r.data)).toEqual(['vex']);
  });

  it('reads an empty BOM as an empty SBOM, and reports a list of the wrong type', () => {
    expect(json('e.cdx.json', { bomFormat: 'CycloneDX', specVersion: '1.6' }).data.sbom!.components).toEqual([]);
    const r = json('e.cdx.json', { bomFormat: 'CycloneDX', specVersion: '1.6', components: { name: 'x' } });
    expect(r.kind).toBe('cyclonedx');
    expect(r.problems).toEqual([{ severity: 'error', code: 'evidence-invalid', message: 'CycloneDX "components" must be an array; it is ignored.' }]);
  });

  it('reads XML: nested components, licence expressions, dependencies, vulnerabilities', () => {
    const r = xml(
      'bom.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <metadata>
    <timestamp>2024-01-02T03:04:05Z</timestamp>
    <tools><components><component type="application"><group>anchore</group><name>syft</name><version>1.0</version></component></components></tools>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/a@1">
      <name>a</name><version>1</version><purl>pkg:npm/a@1</purl>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses>
      <hashes><hash alg="SHA-512">AA</hash><hash alg="SHA-1">bb</hash></hashes>
      <components><component type="library" bom-ref="b"><name>b &amp; c</name><licenses><license><id>ISC</id></license><license><name>Custom</name></license></licenses></component></components>
    </component>
  </components>
  <dependencies><dependency ref="pkg:npm/a@1"><dependency ref="b"/></dependency><dependency ref="b"/></dependencies>
  <vulnerabilities>
    <vulnerability bom-ref="v1"><id>CVE-2024-1</id><ratings><rating><score>7.5</score></rating></ratings><affects><target><ref>b</ref></target></affects></vulnerability>
  </vulnerabilities>
</bom>`,
    );
    expect(r.format).toBe('CycloneDX 1.5 XML');
    expect(r.timestamp).toBe('2024-01-02T03:04:05.000Z');
    expect(r.data.sbom!.tools).toEqual(['anchore/syft@1.0']);
    expect(r.data.sbom!.components).toEqual([
      { name: 'a', version: '1', purl: 'pkg:npm/a@1', bomRef: 'pkg:npm/a@1', licenseExpression: 'MIT OR Apache-2.0', hashes: { sha512: 'aa', sha1: 'bb' } },
      { name: 'b & c', bomRef: 'b', licenseExpression: 'ISC', licenseNames: ['Custom'], hashes: {} },
    ]);
    expect(r.data.sbom!.dependencies).toEqual([{ ref: 'pkg:npm/a@1', dependsOn: ['b'] }, { ref: 'b', dependsOn: [] }]);
    expect(r.data.scan!.vulnerabilities).toEqual([{ id: 'CVE-2024-1', aliases: [], severity: 'HIGH', package: { name: 'b & c' } }]);
  });

  it('keeps a 1.7 XML BOM as a file with a warning', () => {
    const r = xml('bom.xml', '<bom xmlns="http://cyclonedx.org/schema/bom/1.7" version="1"/>');
    expect(r).toMatchObject({ kind: 'file', problems: [{ severity: 'warning', code: 'evidence-unsupported-format', message: expect.stringContaining('CycloneDX 1.7') }] });
  });
});

describe('SPDX', () => {
  it('reads licences (concluded, else declared; NOASSERTION/NONE are none), suppliers and ids', () => {
    const r = json('sbom.spdx.json', {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'doc',
      creationInfo: { created: '2024-02-03T04:05:06Z', creators: ['Tool: syft-1.0', 'Organization: Acme (sec@acme.example)', 'Person: Jane'] },
      documentDescribes: ['SPDXRef-app'],
      packages: [
        { SPDXID: 'SPDXRef-app', name: 'app', versionInfo: '1', licenseConcluded: 'NOASSERTION', licenseDeclared: 'Apache-2.0', supplier: 'Organization: Acme Corp (sec@acme.example)' },
        { SPDXID: 'SPDXRef-lib', name: 'lib', licenseConcluded: 'NONE', licenseDeclared: 'NOASSERTION', supplier: 'NOASSERTION', externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:x:lib:1:*:*:*:*:*:*:*' }, { referenceCategory: 'PACKAGE_MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/lib@1' }], checksums: [{ algorithm: 'SHA256', checksumValue: 'ABCD' }] },
      ],
      relationships: [
        { spdxElementId: 'SPDXRef-app', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-lib' },
        { spdxElementId: 'SPDXRef-lib', relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-app' },
        { spdxElementId: 'SPDXRef-app', relationshipType: 'GENERATED_FROM', relatedSpdxElement: 'SPDXRef-lib' },
      ],
    });
    expect(r.kind).toBe('spdx');
    const sbom = r.data.sbom!;
    expect(sbom.tools).toEqual(['syft-1.0']);
    expect(sbom.authors).toEqual(['Acme', 'Jane']);
    expect(sbom.components).toEqual([
      { name: 'app', version: '1', spdxId: 'SPDXRef-app', supplier: 'Acme Corp', licenseExpression: 'Apache-2.0', hashes: {} },
      { name: 'lib', purl: 'pkg:npm/lib@1', cpe: 'cpe:2.3:a:x:lib:1:*:*:*:*:*:*:*', spdxId: 'SPDXRef-lib', hashes: { sha256: 'abcd' } },
    ]);
    expect(sbom.subject?.spdxId).toBe('SPDXRef-app');
    expect(sbom.dependencies).toEqual([{ ref: 'SPDXRef-app', dependsOn: ['SPDXRef-lib'] }]);
    expect(r.timestamp).toBe('2024-02-03T04:05:06.000Z');
  });

  it('reads an SPDX 3.0 graph with inline creation info and listed licences', () => {
    const r = json('sbom.spdx3.json', {
      '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
      '@graph': [
        { type: 'SpdxDocument', spdxId: 'urn:doc', rootElement: ['urn:pkg'], creationInfo: { type: 'CreationInfo', specVersion: '3.0.1', created: '2024-06-01T00:00:00Z', createdBy: ['urn:org'] } },
        { type: 'Organization', spdxId: 'urn:org', name: 'Acme' },
        { type: 'software_Package', spdxId: 'urn:pkg', name: 'app', software_packageVersion: '2', suppliedBy: 'urn:org', externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: 'pkg:npm/app@2' }] },
        { type: 'software_Package', spdxId: 'urn:dep', name: 'dep' },
        { type: 'Relationship', spdxId: 'urn:r1', from: 'urn:pkg', relationshipType: 'hasDeclaredLicense', to: ['https://spdx.org/licenses/MIT'] },
        { type: 'Relationship', spdxId: 'urn:r2', from: 'urn:pkg', relationshipType: 'contains', to: ['urn:dep'] },
      ],
    });
    expect(r.format).toBe('SPDX 3.0.1 JSON-LD');
    expect(r.data.sbom!.components[0]).toEqual({ name: 'app', version: '2', purl: 'pkg:npm/app@2', spdxId: 'urn:pkg', supplier: 'Acme', licenseExpression: 'MIT', hashes: {} });
    expect(r.data.sbom!.authors).toEqual(['Acme']);
    expect(r.data.sbom!.dependencies).toEqual([{ ref: 'urn:pkg', dependsOn: ['urn:dep'] }]);
    expect(r.timestamp).toBe('2024-06-01T00:00:00.000Z');
  });
});

describe('JUnit dialects', () => {
  it('reads vitest output', () => {
    const r = xml(
      'junit.xml',
      `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="3" failures="1" errors="0" time="0.02">
    <testsuite name="test/a.test.ts" timestamp="2025-01-15T10:00:00.000Z" hostname="ci" tests="3" failures="1" errors="0" skipped="1" time="0.01">
        <testcase classname="test/a.test.ts" name="a &gt; adds" time="0.001"/>
        <testcase classname="test/a.test.ts" name="a &gt; fails" time="0.002">
            <failure message="expected 2 to be 3 // Object.is equality" type="AssertionError">AssertionError: expected 2 to be 3</failure>
        </testcase>
        <testcase classname="test/a.test.ts" name="a &gt; later" time="0">
            <skipped/>
        </testcase>
    </testsuite>
</testsuites>`,
    );
    expect(r.format).toBe('JUnit XML (vitest)');
    expect(r.data.tests).toEqual({
      tests: 3,
      failures: 1,
      errors: 0,
      skipped: 1,
      timestamp: '2025-01-15T10:00:00.000Z',
      cases: [
        { name: 'a > adds', classname: 'test/a.test.ts', status: 'passed' },
        { name: 'a > fails', classname: 'test/a.test.ts', status: 'failed', message: 'expected 2 to be 3 // Object.is equality' },
        { name: 'a > later', classname: 'test/a.test.ts', status: 'skipped' },
      ],
    });
  });

  it('reads jest-junit output with zone-less timestamps as UTC, the newest suite winning', () => {
    const r = xml(
      'junit.xml',
      `<testsuites name="jest tests" tests="2" failures="0" errors="0" time="1.2">
  <testsuite name="sum" errors="0" failures="0" skipped="0" timestamp="2024-09-01T08:00:00" time="0.5" tests="1"><testcase classname="sum adds" name="sum adds" time="0.003"></testcase></testsuite>
  <testsuite name="mul" errors="0" failures="0" skipped="0" timestamp="2024-09-01T08:00:03" time="0.5" tests="1"><testcase classname="mul" name="mul" time="0.001"></testcase></testsuite>
</testsuites>`,
    );
    expect(r.format).toBe('JUnit XML (jest-junit)');
    expect(r.timestamp).toBe('2024-09-01T08:00:03.000Z');
    expect(r.data.tests).toMatchObject({ tests: 2, failures: 0, errors: 0, skipped: 0 });
  });

  it('reads a Surefire report with a <testsuite> root, an error beside a failure, and a flaky pass', () => {
    const r = xml(
      'TEST-com.acme.AppTest.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" name="com.acme.AppTest" time="0.5" tests="3" errors="1" skipped="0" failures="0">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="ok" classname="com.acme.AppTest" time="0.1"/>
  <testcase name="flaky" classname="com.acme.AppTest" time="0.1"><flakyFailure message="first try" type="java.lang.AssertionError"/></testcase>
  <testcase name="broken" classname="com.acme.AppTest" time="0.1"><failure message="f"/><error message="java.lang.NullPointerException" type="java.lang.NullPointerException">at com.acme.App.run</error></testcase>
</testsuite>`,
    );
    expect(r.format).toBe('JUnit XML (Maven Surefire)');
    expect(r.data.tests!.cases.map((c) => [c.name, c.status])).toEqual([
      ['ok', 'passed'],
      ['flaky', 'passed'],
      ['broken', 'error'],
    ]);
    expect(r.data.tests).toMatchObject({ tests: 3, failures: 0, errors: 1, skipped: 0 });
    expect(r.timestamp).toBeUndefined();
  });

  it('reads pytest xfail as skipped and counts from attributes when there are no cases', () => {
    const pytest = xml('report.xml', '<testsuites name="pytest tests"><testsuite name="pytest" tests="1" failures="0" errors="0" skipped="1"><testcase classname="t" name="x"><skipped type="pytest.xfail" message=""/></testcase></testsuite></testsuites>');
    expect(pytest.data.tests!.cases).toEqual([{ name: 'x', classname: 't', status: 'skipped' }]);
    const summary = xml('summary.xml', '<testsuites><testsuite name="a" tests="5" failures="1" errors="0" skipped="2"/><testsuite name="b" tests="4" failures="0" errors="1" disabled="1"/></testsuites>');
    expect(summary.data.tests).toEqual({ tests: 9, failures: 1, errors: 1, skipped: 3, cases: [] });
    const rootTotals = xml('summary.xml', '<testsuites tests="7" failures="2" errors="0"><testsuite name="a" tests="5" failures="1"/></testsuites>');
    expect(rootTotals.data.tests).toMatchObject({ tests: 7, failures: 2, errors: 0, skipped: 0 });
  });

  it('counts cases of nested suites once', () => {
    const r = xml('nested.xml', '<testsuites><testsuite name="outer"><testsuite name="inner" timestamp="2024-01-01T00:00:00Z"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite><testcase name="c"/></testsuite></testsuites>');
    expect(r.data.tests).toMatchObject({ tests: 3, failures: 1, timestamp: '2024-01-01T00:00:00.000Z' });
  });
});

describe('SARIF', () => {
  const log = (results: unknown[], extra: Record<string, unknown> = {}) =>
    json('scan.sarif', {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'analyzer', rules: [{ id: 'R1', defaultConfiguration: { level: 'error' }, messageStrings: { m: { text: 'Found {0} in {1}.' } } }, { id: 'R2' }, { id: 'R3', defaultConfiguration: { level: 'note' } }] } },
          results,
          ...extra,
        },
      ],
    });

  it('takes the level from the result, else the rule default (by index or id), else warning', () => {
    const r = log([
      { ruleId: 'R1', message: { text: 'a' } },
      { ruleIndex: 2, message: { text: 'b' } },
      { ruleId: 'R2', message: { text: 'c' } },
      { ruleId: 'R1', level: 'note', message: { text: 'd' } },
      { ruleId: 'R3/sub', message: { text: 'e' } },
      { ruleId: 'unknown', message: { text: 'f' } },
      { ruleId: 'R1', kind: 'pass', message: { text: 'g' } },
    ]);
    expect(r.data.sarif!.runs[0]!.results.map((x) => [x.ruleId, x.level])).toEqual([
      ['R1', 'error'],
      ['R3', 'note'],
      ['R2', 'warning'],
      ['R1', 'note'],
      ['R3/sub', 'note'],
      ['unknown', 'warning'],
      ['R1', 'none'],
    ]);
  });

  it('counts accepted suppressions (and those without a status), not rejected or under review', () => {
    const r = log([
      { ruleId: 'R1', message: { text: '1' }, suppressions: [{ kind: 'inSource' }] },
      { ruleId: 'R1', message: { text: '2' }, suppressions: [{ kind: 'external', status: 'accepted' }] },
      { ruleId: 'R1', message: { text: '3' }, suppressions: [{ kind: 'external', status: 'rejected' }] },
      { ruleId: 'R1', message: { text: '4' }, suppressions: [{ kind: 'external', status: 'underReview' }] },
      { ruleId: 'R1', message: { text: '5' }, suppressions: [] },
      { ruleId: 'R1', message: { text: '6' }, baselineState: 'absent' },
    ]);
    expect(r.data.sarif!.runs[0]!.results.map((x) => [x.message, x.suppressed])).toEqual([
      ['1', true],
      ['2', true],
      ['3', false],
      ['4', false],
      ['5', false],
    ]);
  });

  it('fills message strings, locations, and takes the latest invocation end as the timestamp', () => {
    const r = log(
      [{ ruleId: 'R1', message: { id: 'm', arguments: ['eval', 'a.js'] }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 12 } } }] }],
      { invocations: [{ executionSuccessful: true, endTimeUtc: '2024-04-01T10:00:00Z' }, { executionSuccessful: true, endTimeUtc: '2024-04-01T11:00:00.5Z' }] },
    );
    expect(r.data.sarif!.runs[0]!.results[0]).toEqual({ ruleId: 'R1', level: 'error', message: 'Found eval in a.js.', suppressed: false, location: 'src/a.js:12' });
    expect(r.timestamp).toBe('2024-04-01T11:00:00.500Z');
  });
});

describe('scanners', () => {
  it('Grype: negligible is LOW, related vulnerabilities are aliases', () => {
    const r = json('grype.json', {
      matches: [{ vulnerability: { id: 'GHSA-aaaa-bbbb-cccc', severity: 'Negligible', fix: { versions: ['2.0'], state: 'fixed' } }, relatedVulnerabilities: [{ id: 'CVE-2024-9' }], artifact: { name: 'x', version: '1.0', purl: 'pkg:npm/x@1.0' } }],
      source: { type: 'directory', target: '/src' },
      descriptor: { name: 'grype', version: '0.80.0', timestamp: '2024-07-01T12:00:00.123456789+02:00' },
    });
    expect(r.data.scan).toEqual({
      scanner: 'grype',
      target: '/src',
      vulnerabilities: [{ id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2024-9'], severity: 'LOW', rawSeverity: 'Negligible', package: { name: 'x', version: '1.0', purl: 'pkg:npm/x@1.0' }, fixedVersions: ['2.0'] }],
    });
    expect(r.timestamp).toBe('2024-07-01T10:00:00.123Z');
  });

  it('Trivy: UNKNOWN stays unknown, several fixed versions are split', () => {
    const r = json('trivy.json', { SchemaVersion: 2, CreatedAt: '2024-01-01T00:00:00Z', ArtifactName: 'img', Results: [{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'p', InstalledVersion: '1', FixedVersion: '1.2.3, 2.0.1', Severity: 'UNKNOWN' }] }, { Target: 'clean' }] });
    expect(r.data.scan!.vulnerabilities).toEqual([{ id: 'CVE-1', aliases: [], severity: 'UNKNOWN', rawSeverity: 'UNKNOWN', package: { name: 'p', version: '1' }, fixedVersions: ['1.2.3', '2.0.1'] }]);
  });

  it('osv-scanner: max_severity decides; otherwise database severity, then CVSS bands', () => {
    const r = json('osv.json', {
      results: [
        {
          source: { path: 'package-lock.json', type: 'lockfile' },
          packages: [
            {
              package: { name: '@scope/pkg', version: '1.0.0', ecosystem: 'npm' },
              vulnerabilities: [
                { id: 'GHSA-1111-2222-3333', aliases: ['CVE-2024-1'], database_specific: { severity: 'LOW' } },
                { id: 'GHSA-4444-5555-6666', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
                { id: 'PYSEC-1', summary: 'ungrouped' },
              ],
              groups: [{ ids: ['GHSA-1111-2222-3333'], max_severity: '9.8' }, { ids: ['GHSA-4444-5555-6666'] }],
            },
          ],
        },
      ],
    });
    expect(r.data.scan!.target).toBe('package-lock.json');
    expect(r.data.scan!.vulnerabilities.map((v) => [v.id, v.severity, v.rawSeverity ?? null, v.package?.purl])).toEqual([
      ['GHSA-1111-2222-3333', 'CRITICAL', '9.8', 'pkg:npm/%40scope/pkg@1.0.0'],
      ['GHSA-4444-5555-6666', 'HIGH', '7.5', 'pkg:npm/%40scope/pkg@1.0.0'],
      ['PYSEC-1', 'UNKNOWN', null, 'pkg:npm/%40scope/pkg@1.0.0'],
    ]);
    expect(r.data.scan!.vulnerabilities[0]!.aliases).toEqual(['CVE-2024-1']);
    expect(json('osv-results.json', { results: [] })).toMatchObject({ kind: 'osv-scanner', data: { scan: { vulnerabilities: [] } } });
  });

  it('npm audit v2 (current via shape): GHSA ids from the advisory URL, moderate is MEDIUM', () => {
    const r = json('audit.json', {
      auditReportVersion: 2,
      vulnerabilities: {
        minimist: { name: 'minimist', severity: 'critical', isDirect: false, via: [{ source: 1096302, name: 'minimist', dependency: 'minimist', title: 'Prototype Pollution in minimist', url: 'https://github.com/advisories/GHSA-XVCH-5GV4-984H', severity: 'critical', range: '<0.2.4' }, { source: 1097678, name: 'minimist', title: 'Other', url: 'https://example.org/1097678', severity: 'moderate' }], effects: ['mkdirp'] },
        mkdirp: { name: 'mkdirp', severity: 'critical', via: ['minimist'] },
      },
      metadata: { vulnerabilities: { total: 2 } },
    });
    expect(r.data.scan!.vulnerabilities).toEqual([
      { id: 'GHSA-xvch-5gv4-984h', aliases: ['NPM-1096302'], severity: 'CRITICAL', rawSeverity: 'critical', package: { name: 'minimist' }, title: 'Prototype Pollution in minimist' },
      { id: 'NPM-1097678', aliases: [], severity: 'MEDIUM', rawSeverity: 'moderate', package: { name: 'minimist' }, title: 'Other' },
    ]);
  });

  it('npm audit v1: one finding per advisory and installed version', () => {
    const r = json('audit.json', {
      actions: [],
      advisories: { '1179': { id: 1179, module_name: 'minimist', severity: 'low', title: 'Prototype Pollution', url: 'https://npmjs.com/advisories/1179', cves: ['CVE-2020-7598'], patched_versions: '>=1.2.3', github_advisory_id: 'GHSA-vh95-rmgr-6w4m', findings: [{ version: '0.0.8', paths: ['a'] }, { version: '1.2.0', paths: ['b'] }] } },
      metadata: { vulnerabilities: { low: 1 } },
    });
    expect(r.format).toBe('npm audit JSON (report v1)');
    expect(r.data.scan!.vulnerabilities.map((v) => [v.id, v.package?.version, v.aliases, v.fixedVersions])).toEqual([
      ['GHSA-vh95-rmgr-6w4m', '0.0.8', ['CVE-2020-7598', 'NPM-1179'], ['>=1.2.3']],
      ['GHSA-vh95-rmgr-6w4m', '1.2.0', ['CVE-2020-7598', 'NPM-1179'], ['>=1.2.3']],
    ]);
  });
});

describe('OpenVEX', () => {
  it('reads the v0.0.x shapes and warns about not_affected without a justification', () => {
    const r = json('vex.openvex.json', {
      '@context': 'https://openvex.dev/ns',
      '@id': 'x',
      author: 'a',
      timestamp: '2023-01-01T00:00:00Z',
      statements: [
        { vulnerability: 'CVE-2023-1', products: ['pkg:oci/img'], subcomponents: ['pkg:npm/a@1'], status: 'not_affected', timestamp: '2023-02-01T00:00:00Z' },
        { vulnerability: 'CVE-2023-2', status: 'wontfix' },
      ],
    });
    expect(r.data.vex!.statements).toEqual([{ vulnerability: 'CVE-2023-1', aliases: [], products: ['pkg:npm/a@1', 'pkg:oci/img'], status: 'not_affected', timestamp: '2023-02-01T00:00:00.000Z' }]);
    expect(r.problems.map((p) => [p.severity, p.code, p.message])).toEqual([
      ['warning', 'evidence-invalid', 'OpenVEX statement 1 (CVE-2023-1) is not_affected without a justification or impact statement.'],
      ['error', 'evidence-invalid', 'OpenVEX statement 2 needs a vulnerability and a status (not_affected, affected, fixed, under_investigation); it is ignored.'],
    ]);
  });
});

describe('in-toto and Sigstore', () => {
  const statement = (predicateType: string, predicate: unknown) => ({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ name: 'app.tgz', digest: { SHA256: 'ABCDEF' } }], predicateType, predicate });

  it('reads SLSA v0.2 in a DSSE envelope: builder, build type, finish time; unsigned when no signature', () => {
    const v02 = statement('https://slsa.dev/provenance/v0.2', { builder: { id: 'https://github.com/actions/runner' }, buildType: 'https://example.org/bt', metadata: { buildFinishedOn: '2024-02-02T02:02:02Z' } });
    const r = json('build.intoto.json', { payloadType: 'application/vnd.in-toto+json', payload: b64(v02), signatures: [] });
    expect(r.kind).toBe('slsa-provenance');
    expect(r.timestamp).toBe('2024-02-02T02:02:02.000Z');
    expect(r.data.provenance![0]).toMatchObject({ slsaVersion: '0.2', builderId: 'https://github.com/actions/runner', buildType: 'https://example.org/bt', envelope: 'dsse', signed: false, subjects: [{ name: 'app.tgz', digest: { sha256: 'abcdef' } }] });
  });

  it('reads SLSA v0.1 (recipe.type) as the 0.2 model', () => {
    const r = json('p.json', statement('https://slsa.dev/provenance/v0.1', { builder: { id: 'b' }, recipe: { type: 'r' }, metadata: { buildFinishedOn: '2021-01-01T00:00:00Z' } }));
    expect(r.data.provenance![0]).toMatchObject({ slsaVersion: '0.2', builderId: 'b', buildType: 'r', envelope: 'statement', signed: false });
  });

  it('reports a DSSE payload that is not a statement, and keeps a non-provenance statement out of slsa-provenance', () => {
    expect(json('x.json', { payloadType: 'application/vnd.in-toto+json', payload: 'bm90IGpzb24=', signatures: [{ sig: 'x' }] }).kind).toBe('file');
    expect(json('x.json', statement('https://spdx.dev/Document', {})).kind).toBe('file');
  });

  it('reads a message-signature Sigstore bundle: the signed digest is the subject', () => {
    const digest = Buffer.alloc(32, 0xab).toString('base64');
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        publicKey: { hint: 'key-1' },
        tlogEntries: [{ logIndex: '1', logId: { keyId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=' }, kindVersion: { kind: 'hashedrekord', version: '0.0.1' }, integratedTime: '1700000000', inclusionPromise: { signedEntryTimestamp: 'MEUC' }, canonicalizedBody: 'e30=' }],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest }, signature: 'MEUCIQ==' },
    };
    const r = json('artifact.sigstore.json', bundle);
    expect(r.problems).toEqual([]);
    expect(r.kind).toBe('sigstore-bundle');
    expect(r.format).toBe('Sigstore bundle v0.1');
    expect(r.data.signatures).toEqual([
      {
        format: 'sigstore-bundle',
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
        subjects: [{ digest: { sha256: 'ab'.repeat(32) } }],
        material: { kind: 'message-signature', signature: 'MEUCIQ==', keyid: 'key-1', messageDigest: { algorithm: 'sha256', digest: 'ab'.repeat(32) }, bundle },
        integratedTime: '2023-11-14T22:13:20.000Z',
      },
    ]);
  });

  it('reports a Sigstore bundle that does not have the shape of its version', () => {
    const r = json('bad.sigstore', { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {}, messageSignature: { signature: 'x' } });
    expect(r.kind).toBe('sigstore-bundle');
    expect(r.problems[0]).toMatchObject({ severity: 'error', code: 'evidence-invalid', message: expect.stringContaining('Not a valid Sigstore bundle') });
  });
});

describe('Scorecard, branch protection, KEV', () => {
  it('reads a Scorecard result with an inconclusive check', () => {
    const r = json('scorecard.json', { date: '2024-03-04T05:06:07Z', repo: { name: 'github.com/acme/app', commit: 'abc' }, scorecard: { version: 'v5.0.0' }, score: 6.5, checks: [{ name: 'Code-Review', score: 8, reason: 'r' }, { name: 'Packaging', score: -1 }] });
    expect(r.data.scorecard).toEqual({ repo: 'github.com/acme/app', date: '2024-03-04T05:06:07.000Z', score: 6.5, checks: [{ name: 'Code-Review', score: 8, reason: 'r' }, { name: 'Packaging', score: -1 }] });
    expect(r.format).toBe('OpenSSF Scorecard v5.0.0 JSON');
  });

  it('reads GitHub branch protection; absent sections are settings that are off', () => {
    const full = json('protection.json', {
      url: 'https://api.github.com/repos/acme/app/branches/release%2F1.x/protection',
      required_status_checks: { strict: true, contexts: ['ci/test'], checks: [{ context: 'ci/test', app_id: 1 }, { context: 'lint', app_id: null }] },
      required_pull_request_reviews: { dismiss_stale_reviews: true, require_code_owner_reviews: true, required_approving_review_count: 2 },
      required_signatures: { url: 'x', enabled: true },
      enforce_admins: { url: 'x', enabled: true },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
    });
    expect(full.kind).toBe('github-branch-protection');
    expect(full.data.branchProtection).toEqual({ branch: 'release/1.x', requiredReviews: 2, enforceAdmins: true, requireCodeOwnerReviews: true, requiredSignatures: true, allowForcePushes: false, allowDeletions: false, requiredStatusChecks: ['ci/test', 'lint'] });
    const minimal = json('protection.json', { url: 'https://api.github.com/repos/acme/app/branches/main/protection', enforce_admins: { enabled: false }, allow_force_pushes: { enabled: true } });
    expect(minimal.data.branchProtection).toEqual({ branch: 'main', requiredReviews: 0, enforceAdmins: false, requireCodeOwnerReviews: false, requiredSignatures: false, allowForcePushes: true, allowDeletions: false, requiredStatusChecks: [] });
  });

  it('reads the KEV catalog: version, release date, CVE ids', () => {
    const r = json('known_exploited_vulnerabilities.json', { title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2024.05.01', dateReleased: '2024-05-01T14:00:00.0000Z', count: 2, vulnerabilities: [{ cveID: 'CVE-2024-2' }, { cveID: 'cve-2021-44228' }] });
    expect(r).toMatchObject({ kind: 'kev', timestamp: '2024-05-01T14:00:00.000Z', data: { kev: { version: '2024.05.01', dateReleased: '2024-05-01T14:00:00.000Z', cves: ['CVE-2021-44228', 'CVE-2024-2'] } } });
  });
});
