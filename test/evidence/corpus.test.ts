// Every file of the shared corpus of real evidence (see its SOURCES.md) is read
// as the kind its folder names, without errors, deterministically; and concrete
// facts of each file come out as the documents state them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../src/evidence/read.ts';
import type { EvidenceKind, ReadResult } from '../../src/evidence/types.ts';

const corpus = new URL('../../../shared/corpus/', import.meta.url);
const present = existsSync(corpus);

const folderKinds: Record<string, EvidenceKind> = {
  cyclonedx: 'cyclonedx',
  spdx: 'spdx',
  slsa: 'slsa-provenance',
  sigstore: 'sigstore-bundle',
  'vuln-grype': 'grype',
  'vuln-trivy': 'trivy',
  'vuln-osv': 'osv-scanner',
  'vuln-npm-audit': 'npm-audit',
  sarif: 'sarif',
  junit: 'junit',
  scorecard: 'scorecard',
  gitleaks: 'gitleaks',
};
const exceptions: Record<string, EvidenceKind> = {
  // specVersion 1.7: newer than supported, kept as a file with a warning (SPEC §7).
  'cyclonedx/fluentd-multiple-lockfiles-short.cdx.json': 'file',
  // An npm attestations response holding SLSA provenance.
  'sigstore/provenance-npm-test-cli-v1-prega.tgz.json': 'slsa-provenance',
};
const skippedFolders = new Set(['chainloop', 'oscal-schema']);

function corpusFiles(): string[] {
  if (!present) return [];
  const out: string[] = [];
  for (const dir of readdirSync(corpus, { withFileTypes: true })) {
    if (!dir.isDirectory() || skippedFolders.has(dir.name)) continue;
    for (const f of readdirSync(new URL(`${dir.name}/`, corpus))) out.push(`${dir.name}/${f}`);
  }
  return out.sort();
}

const cache = new Map<string, ReadResult>();
function read(rel: string): ReadResult {
  let r = cache.get(rel);
  if (!r) {
    r = readEvidence(rel, readFileSync(new URL(rel, corpus)), { keepJson: true });
    cache.set(rel, r);
  }
  return r;
}

describe.skipIf(!present)('the evidence corpus', () => {
  const files = corpusFiles();

  it('has files in every folder it names', () => {
    const folders = new Set(files.map((f) => f.split('/')[0]));
    for (const folder of [...Object.keys(folderKinds), 'vex']) expect(folders, folder).toContain(folder);
  });

  it.each(files)('%s is read as the kind of its folder', (rel) => {
    const folder = rel.split('/')[0]!;
    const result = read(rel);
    if (folder === 'vex') {
      expect(['openvex', 'cyclonedx']).toContain(result.kind);
      expect(result.data.vex?.statements.length).toBeGreaterThan(0);
      expect(result.data.sbom).toBeUndefined();
      expect(result.data.scan).toBeUndefined();
      return;
    }
    expect(result.kind).toBe(exceptions[rel] ?? folderKinds[folder]);
  });

  it.each(files)('%s has no error problems', (rel) => {
    expect(read(rel).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('reports a problem only for the CycloneDX 1.7 file', () => {
    expect(files.filter((rel) => read(rel).problems.length > 0)).toEqual(['cyclonedx/fluentd-multiple-lockfiles-short.cdx.json']);
  });

  it.each(files)('%s reads the same twice', (rel) => {
    const again = readEvidence(rel, readFileSync(new URL(rel, corpus)), { keepJson: true });
    expect(JSON.stringify(again)).toBe(JSON.stringify(read(rel)));
  });

  it('keeps the CycloneDX 1.7 file as a file, with a warning naming the version', () => {
    const r = read('cyclonedx/fluentd-multiple-lockfiles-short.cdx.json');
    expect(r.kind).toBe('file');
    expect(r.data).toEqual({});
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ severity: 'warning', code: 'evidence-unsupported-format' });
    expect(r.problems[0]!.message).toContain('CycloneDX 1.7');
  });

  describe('CycloneDX', () => {
    it('reads the large juice-shop SBOM in JSON and XML alike', () => {
      const json = read('cyclonedx/juice-shop-flat.bom.1.4.json');
      const xml = read('cyclonedx/juice-shop-bare.bom.1.4.xml');
      expect(json.format).toBe('CycloneDX 1.4 JSON');
      expect(xml.format).toBe('CycloneDX 1.4 XML');
      expect(json.data.sbom!.components).toHaveLength(1115);
      expect(json.data.sbom!.dependencies).toHaveLength(1116);
      expect(json.data.sbom!.subject).toMatchObject({ name: 'juice-shop', version: '14.1.1', licenseExpression: 'MIT' });
      expect(json.data.sbom!.tools).toEqual(['@cyclonedx/cyclonedx-library@1.13.3', '@cyclonedx/cyclonedx-npm@1.9.2']);
      expect(json.timestamp).toBeUndefined();
      expect(xml.data).toEqual(json.data);
      const parser = json.data.sbom!.components.find((c) => c.name === '@babel/parser');
      expect(parser).toMatchObject({ version: '7.21.2', purl: 'pkg:npm/%40babel/parser@7.21.2#packages/babel-parser', licenseExpression: 'MIT' });
      expect(parser!.hashes.sha512).toMatch(/^511a5a20/);
      expect(json.data.scan).toBeUndefined();
    });

    it('reads the spec example 1.6 with suppliers, licences, swid and hashes', () => {
      const r = read('cyclonedx/valid-bom-1.6.json');
      const sbom = r.data.sbom!;
      expect(r.timestamp).toBe('2020-04-13T20:20:39.000Z');
      expect(sbom.authors).toEqual(['Samantha Wright']);
      expect(sbom.tools).toEqual(['Awesome Vendor/Awesome Tool@9.1.2']);
      expect(sbom.subject).toMatchObject({ name: 'Acme Application', version: '9.1.1', swid: 'swidgen-242eb18a-503e-ca37-393b-cf156ef09691_9.1.1' });
      expect(sbom.components.map((c) => [c.name, c.supplier, c.licenseExpression ?? null])).toEqual([
        ['com.acme/tomcat-catalina', 'Acme Inc', 'Apache-2.0'],
        ['org.example/mylibrary', 'Example, Inc.', 'EPL-2.0 OR GPL-2.0-with-classpath-exception'],
        ['com.example/myframework', undefined, null],
      ]);
      expect(sbom.components[2]!.licenseNames).toEqual(['Some random license']);
      expect(sbom.components[1]!.cpe).toBe('cpe:/a:example:myapplication:1.0.0');
      expect(sbom.components[0]!.hashes.sha256).toBe('f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b');
      expect(read('cyclonedx/valid-bom-1.6.xml').data).toEqual(r.data);
    });

    it('counts nested components and reads 1.5 tools.components', () => {
      const npm = read('cyclonedx/generated-cyclonedx-npm.cdx.json');
      expect(npm.data.sbom!.specVersion).toBe('1.6');
      expect(npm.data.sbom!.components).toHaveLength(52);
      expect(npm.timestamp).toBe('2026-11-22T01:20:20.355Z');
      const npmSbom = read('cyclonedx/generated-npm-sbom.cdx.json');
      expect(npmSbom.data.sbom!.components).toHaveLength(52);
      expect(npmSbom.data.sbom!.tools).toHaveLength(1);
      expect(npmSbom.timestamp).toBe('2026-11-22T01:19:09.467Z');
      expect(read('cyclonedx/laravel-7.12.0.bom.1.4.json').data.sbom!.components).toHaveLength(62);
    });
  });

  describe('VEX', () => {
    it('reads the CycloneDX VEX document as VEX only, products resolved from BOM-Links', () => {
      const r = read('vex/cyclonedx-vex.json');
      expect(r.kind).toBe('cyclonedx');
      expect(r.format).toBe('CycloneDX 1.4 JSON (VEX)');
      expect(r.data.vex!.statements).toEqual([
        {
          vulnerability: 'CVE-2020-25649',
          aliases: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302'],
          products: ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar'],
          status: 'not_affected',
          justification: 'code_not_reachable',
        },
      ]);
    });

    it('reads OpenVEX statements with products and subcomponents', () => {
      const r = read('vex/openvex-v0.2.0.json');
      expect(r.kind).toBe('openvex');
      expect(r.timestamp).toBe('2023-07-18T00:28:47.696Z');
      const statements = r.data.vex!.statements;
      expect(statements.map((s) => [s.vulnerability, s.status])).toEqual([
        ['CVE-2023-1255', 'fixed'],
        ['CVE-2023-2650', 'fixed'],
        ['CVE-2023-2975', 'fixed'],
        ['CVE-2023-3446', 'not_affected'],
        ['CVE-2023-3817', 'not_affected'],
      ]);
      expect(statements[3]!.justification).toBe('vulnerable_code_not_present');
      expect(statements[0]!.products).toContain('pkg:apk/alpine/libssl3@3.0.8-r3');
    });
  });

  describe('SPDX', () => {
    it('reads SPDX 2.2 with concluded licences, suppliers and inverse relationships', () => {
      const r = read('spdx/appbomination.spdx.json');
      expect(r.format).toBe('SPDX 2.2 JSON');
      expect(r.timestamp).toBe('2021-09-02T13:46:32.000Z');
      const sbom = r.data.sbom!;
      expect(sbom.components).toHaveLength(7);
      expect(sbom.subject).toMatchObject({ spdxId: 'SPDXRef-1', name: 'App-BOM-ination', supplier: 'ACT Project', licenseExpression: '(LicenseRef-1 AND Apache-2.0)' });
      expect(sbom.authors).toEqual(["Gary O'Neall"]);
      expect(sbom.tools).toEqual(['Source Auditor Open Source Console']);
      // hamcrest-core: concluded BSD-3-Clause, declared NOASSERTION.
      expect(sbom.components.find((c) => c.name === 'hamcrest-core')).toMatchObject({ licenseExpression: 'BSD-3-Clause', purl: 'pkg:maven/org.hamcrest/hamcrest-core@1.3' });
      // SPDXRef-23 DEPENDENCY_OF SPDXRef-22 → 22 depends on 23.
      expect(sbom.dependencies.find((d) => d.ref === 'SPDXRef-22')!.dependsOn).toEqual(['SPDXRef-23']);
    });

    it('reads SPDX 2.3 and 3.0.1 versions of the same SBOM alike', () => {
      const two = read('spdx/example11-sbom.spdx.json').data.sbom!;
      const three = read('spdx/example11-sbom.spdx3.json').data.sbom!;
      expect(two.specVersion).toBe('2.3');
      expect(three.specVersion).toBe('3.0.1');
      expect(two.timestamp).toBe('2022-11-03T07:10:10.000Z');
      expect(three.timestamp).toBe('2022-11-03T07:10:10.000Z');
      const summary = (s: typeof two) => s.components.map((c) => [c.name, c.version, c.purl, c.licenseExpression]);
      expect(summary(two)).toEqual([
        ['hello-server-src', '0.1.0', 'pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x', 'Apache-2.0'],
        ['hyper', '0.14', 'pkg:cargo/hyper@0.14', 'MIT'],
        ['tokio', '1.19.2', 'pkg:cargo/tokio@1.19.2', 'MIT'],
        ['pretty_env_logger', '0.4.0', 'pkg:cargo/pretty_env_logger@0.4.0', 'MIT OR Apache-2.0'],
      ]);
      // Expressions are kept as written: the 3.0 document parenthesises this one.
      expect(summary(three)).toEqual(summary(two).map((row) => (row[0] === 'pretty_env_logger' ? [...row.slice(0, 3), '(MIT OR Apache-2.0)'] : row)));
      expect(two.dependencies).toEqual([
        { ref: 'SPDXRef-Package-hello-server-src', dependsOn: ['SPDXRef-Package-SPDXRef-Package-cargo-pretty-env-logger-0.4.0', 'SPDXRef-Package-SPDXRef-Package-cargo-tokio-1', 'SPDXRef-Package-SPDXRef-Package-cargo-hyper-0.14'] },
      ]);
      expect(three.dependencies[0]!.dependsOn).toHaveLength(3);
      expect(two.subject?.name).toBe('hello-server-src');
      expect(three.subject?.name).toBe('hello-server-src');
      expect(three.tools).toEqual(['sigs.k8s.io/bom/pkg/spdx']);
    });
  });

  describe('provenance and signatures', () => {
    it('reads SLSA v1 provenance in a Sigstore bundle 0.2', () => {
      const r = read('slsa/gha_delegator-v2.1.0-binary-linux-amd64-push-v14.build.slsa');
      const [p] = r.data.provenance!;
      expect(p).toMatchObject({
        predicateType: 'https://slsa.dev/provenance/v1',
        slsaVersion: '1',
        builderId: 'https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml@refs/tags/v2.1.0',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0',
        envelope: 'sigstore-bundle',
        signed: true,
        subjects: [{ name: 'gha_delegator-binary-linux-amd64-v14', digest: { sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' } }],
      });
      expect(p!.signature).toMatchObject({ kind: 'dsse', payloadType: 'application/vnd.in-toto+json' });
      expect(p!.signature!.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\nMIIHkTCC/);
      expect(p!.signature!.bundle).toBeDefined();
      expect(r.timestamp).toBeUndefined();
    });

    it('reads SLSA v0.2 provenance from a DSSE envelope in JSON Lines', () => {
      const r = read('slsa/gha_generic-v1.10.0-binary-linux-amd64-push-v14.intoto.jsonl');
      expect(r.data.provenance).toHaveLength(1);
      expect(r.data.provenance![0]).toMatchObject({
        slsaVersion: '0.2',
        builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
        envelope: 'dsse',
        signed: true,
        subjects: [{ name: 'gha_generic-binary-linux-amd64-v14', digest: { sha256: '2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd' } }],
      });
      expect(r.data.provenance![0]!.signature!.certificatePem).toContain('BEGIN CERTIFICATE');
    });

    it('reads a bare, unsigned SLSA v1 statement', () => {
      const [p] = read('slsa/provenance-npm-test-cli-v1-prega.slsa-v1.statement.json').data.provenance!;
      expect(p).toMatchObject({ envelope: 'statement', signed: false, builderId: 'https://github.com/actions/runner/github-hosted', buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1' });
      expect(p!.signature).toBeUndefined();
    });

    it('reads the npm attestations response: provenance, plus the publish attestation as a signature', () => {
      const r = read('sigstore/provenance-npm-test-cli-v1-prega.tgz.json');
      expect(r.data.provenance).toHaveLength(1);
      expect(r.data.provenance![0]).toMatchObject({ envelope: 'npm-attestations', signed: true, builderId: 'https://github.com/actions/runner/github-hosted' });
      expect(r.data.provenance![0]!.subjects[0]!.name).toBe('pkg:npm/sigstore@2.3.1');
      expect(r.data.signatures).toHaveLength(1);
      expect(r.data.signatures![0]).toMatchObject({
        format: 'sigstore-bundle',
        predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
        integratedTime: '2024-05-16T17:12:06.000Z',
        material: { kind: 'dsse', keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA' },
      });
      // Both attestations are about the same tarball.
      expect(r.data.signatures![0]!.subjects[0]!.digest).toEqual(r.data.provenance![0]!.subjects[0]!.digest);
    });

    it('reads a Sigstore bundle v0.3 that carries a non-provenance statement', () => {
      const r = read('sigstore/bundleV03-intoto.sigstore');
      expect(r.format).toBe('Sigstore bundle v0.3');
      expect(r.data.provenance).toBeUndefined();
      expect(r.data.signatures).toEqual([
        expect.objectContaining({
          format: 'sigstore-bundle',
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          subjects: [{ name: 'pkg:npm/sigstore@1.0.0', digest: { sha512: expect.stringMatching(/^7bea9f6e/) } }],
          integratedTime: '2023-07-12T15:34:38.000Z',
        }),
      ]);
      expect(r.timestamp).toBeUndefined();
    });

    it('reads the legacy cosign bundle with the signed digest from its Rekor entry', () => {
      const r = read('sigstore/cosign.bundle');
      expect(r.data.signatures).toEqual([
        {
          format: 'cosign-legacy',
          subjects: [{ digest: { sha256: 'b9bb7760a2b3b9d0f08e298ecb87cff2d139122e3f6d258290fb807bf1afe692' } }],
          material: {
            kind: 'cosign-legacy',
            signature: 'MEUCIQD4rAvIUYt0WgrXVL6whlkgJerX2jyRNDct3AwWSsGdJgIgP0DCR56AM9FQD/aEnZwnNT1s22V8PW/ud0YHREr2n0U=',
            certificatePem: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\nMIIC0jCC/),
          },
          integratedTime: '2023-06-12T21:25:36.000Z',
        },
      ]);
    });
  });

  describe('vulnerability scanners', () => {
    it('reads Grype matches with severities and fixes', () => {
      const scan = read('vuln-grype/TestJsonImgsPresenter.golden.json').data.scan!;
      expect(scan.scanner).toBe('grype');
      expect(scan.target).toBe('user-input');
      expect(scan.vulnerabilities.map((v) => [v.id, v.severity, v.package?.name])).toEqual([
        ['CVE-1999-0001', 'LOW', 'package-1'],
        ['CVE-1999-0002', 'CRITICAL', 'package-2'],
      ]);
      expect(scan.vulnerabilities[0]!.fixedVersions).toEqual(['1.2.1', '2.1.3', '3.4.0']);
      expect(scan.vulnerabilities[1]!.package!.purl).toBe('pkg:deb/package-2@2.2.2');
      // descriptor.timestamp is empty in this golden file.
      expect(read('vuln-grype/TestJsonImgsPresenter.golden.json').timestamp).toBeUndefined();
    });

    it('reads Trivy results with vendor ids as aliases and nanosecond CreatedAt', () => {
      const r = read('vuln-trivy/debian-buster.json');
      expect(r.timestamp).toBe('2021-08-25T12:20:30.000Z');
      expect(r.data.scan!.target).toBe('testdata/fixtures/images/debian-buster.tar.gz');
      expect(r.data.scan!.vulnerabilities.map((v) => [v.id, v.severity, v.package?.name, v.aliases])).toEqual([
        ['CVE-2019-18276', 'LOW', 'bash', []],
        ['CVE-2019-18224', 'CRITICAL', 'libidn2-0', ['DSA-4613-1']],
      ]);
      const npm = read('vuln-trivy/npm.json').data.scan!.vulnerabilities[0]!;
      expect(npm).toMatchObject({ id: 'CVE-2019-11358', severity: 'MEDIUM', fixedVersions: ['3.4.0'], package: { name: 'jquery', version: '3.3.9', purl: 'pkg:npm/jquery@3.3.9' } });
    });

    it('reads osv-scanner groups as one finding each, with aliases and banded severities', () => {
      const scan = read('vuln-osv/multiple-packages-with-vulns.json').data.scan!;
      expect(scan.vulnerabilities.map((v) => [v.id, v.severity, v.package?.name])).toEqual([
        ['GHSA-qc84-gqf4-9926', 'HIGH', 'crossbeam-utils'],
        ['GHSA-wfg4-322g-9vqv', 'MEDIUM', 'memoffset'],
        ['GHSA-43w2-9j62-hq99', 'CRITICAL', 'smallvec'],
      ]);
      expect(scan.vulnerabilities[0]!.aliases).toEqual(['CVE-2022-23639', 'RUSTSEC-2022-0041']);
      expect(scan.vulnerabilities[0]!.package!.purl).toBe('pkg:cargo/crossbeam-utils@0.6.6');
      const other = read('vuln-osv/test-vuln-results-a.json').data.scan!.vulnerabilities;
      // GO-2021-0053 has no severity of its own: UNKNOWN, for the policy's unknownAs.
      expect(other.map((v) => [v.id, v.severity])).toEqual([
        ['GO-2021-0053', 'UNKNOWN'],
        ['GHSA-m5pq-gvj9-9vr8', 'HIGH'],
      ]);
      expect(other[0]!.aliases).toEqual(['CVE-2021-3121', 'GHSA-c3h9-896r-86jm']);
    });

    it('reads npm audit v2 advisories once, at the package that carries them', () => {
      const all = read('vuln-npm-audit/all-severity-levels.json').data.scan!.vulnerabilities;
      expect(all).toHaveLength(18);
      expect(all.find((v) => v.id === 'NPM-755')).toMatchObject({ severity: 'CRITICAL', package: { name: 'handlebars' }, title: 'Prototype Pollution' });
      expect(all.find((v) => v.id === 'NPM-1504')).toMatchObject({ severity: 'MEDIUM', rawSeverity: 'moderate', package: { name: 'node-weakauras-parser' } });
      const gatsby = read('vuln-npm-audit/gatsby.json').data.scan!.vulnerabilities;
      expect(gatsby.map((v) => [v.id, v.severity, v.package?.name])).toEqual([
        ['NPM-1084', 'LOW', 'mem'],
        ['NPM-1500', 'LOW', 'yargs-parser'],
      ]);
    });
  });

  describe('SARIF', () => {
    const counts = (rel: string) => read(rel).data.sarif!.runs.map((r) => [r.tool, r.results.length]);

    it('counts the results of each run', () => {
      expect(counts('sarif/codeql-valid-sarif.sarif')).toEqual([
        ['LGTM.com', 1],
        ['CodeQL command-line toolchain', 2],
      ]);
      expect(counts('sarif/generated-eslint.sarif')).toEqual([['ESLint', 8]]);
      expect(counts('sarif/grype-TestSarifPresenter_image.sarif')).toEqual([['grype', 2]]);
      expect(counts('sarif/trivy-alpine-310.sarif')).toEqual([['Trivy', 4]]);
    });

    it('takes a missing level from the rule default', () => {
      const [lgtm] = read('sarif/codeql-valid-sarif.sarif').data.sarif!.runs;
      expect(lgtm!.results[0]).toEqual({ ruleId: 'js/unused-local-variable', level: 'note', message: 'Unused variable foo.', suppressed: false, location: 'main.js:2' });
      expect(read('sarif/grype-TestSarifPresenter_image.sarif').data.sarif!.runs[0]!.results.map((r) => r.level)).toEqual(['note', 'error']);
      expect(read('sarif/generated-eslint.sarif').data.sarif!.runs[0]!.results.every((r) => r.level === 'error')).toBe(true);
    });
  });

  describe('JUnit', () => {
    const tests = (rel: string) => read(rel).data.tests!;

    it('counts cases, failures, errors and skips (Surefire-style JUnit 4)', () => {
      const t = tests('junit/junit4-complete.xml');
      expect([t.tests, t.failures, t.errors, t.skipped]).toEqual([8, 1, 1, 1]);
      // A zone-less timestamp is UTC.
      expect(t.timestamp).toBe('2021-04-02T15:48:23.000Z');
      expect(t.cases.find((c) => c.name === 'testCase6')).toEqual({ name: 'testCase6', classname: 'Tests.Registration', status: 'error', message: 'Division by zero.' });
    });

    it('counts from the cases when the attributes disagree (pytest)', () => {
      const r = read('junit/python-xunit-pytest.xml');
      expect(r.format).toBe('JUnit XML (pytest)');
      // The suite claims tests="15"; ten test cases are in the file.
      expect([r.data.tests!.tests, r.data.tests!.failures, r.data.tests!.errors, r.data.tests!.skipped]).toEqual([10, 2, 0, 2]);
      expect(r.timestamp).toBe('2025-11-15T16:51:49.548Z');
      // Predefined entities are decoded in text.
      expect(r.data.tests!.cases.find((c) => c.name === 'test_always_fail')!.message).toBe('assert False');
    });

    it("reads Trivy's JUnit output", () => {
      const t = tests('junit/trivy-alpine-310.junit.xml');
      expect([t.tests, t.failures, t.errors, t.skipped]).toEqual([4, 4, 0, 0]);
      expect(t.cases[0]).toMatchObject({ name: '[MEDIUM] CVE-2019-1549', classname: 'libcrypto1.1-1.1.1c-r0', status: 'failed' });
      expect(t.timestamp).toBeUndefined();
    });
  });

  describe('Scorecard and gitleaks', () => {
    it('reads the aggregate score, checks and date', () => {
      const s = read('scorecard/scorecard-results.json');
      expect(s.format).toBe('OpenSSF Scorecard 4.1.0 JSON');
      expect(s.timestamp).toBe('2022-03-07T00:00:00.000Z');
      expect(s.data.scorecard).toMatchObject({ repo: 'github.com/ossf/scorecard', score: 8.4 });
      expect(s.data.scorecard!.checks).toHaveLength(18);
      expect(s.data.scorecard!.checks.find((c) => c.name === 'Token-Permissions')!.score).toBe(6);
      const action = read('scorecard/scorecard-action-results.json').data.scorecard!;
      expect(action.score).toBe(5.8);
      expect(action.date).toBe('2022-06-01T00:00:00.000Z');
      expect(action.checks.filter((c) => c.score === -1).map((c) => c.name)).toEqual(['Packaging', 'Signed-Releases', 'Webhooks']);
    });

    it('reads gitleaks findings', () => {
      expect(read('gitleaks/baseline.json').data.secrets!.findings).toEqual([
        { ruleId: 'pypi-upload-token', file: 'detect/detect_test.go', line: 32, commit: '9326f35380636bcbe61e94b0584d1618c4b5c2c2', description: 'PyPI upload token' },
        { ruleId: 'pypi-upload-token', file: 'detect/detect_test.go', line: 33, commit: '9326f35380636bcbe61e94b0584d1618c4b5c2c2', description: 'PyPI upload token' },
      ]);
      expect(read('gitleaks/json_simple.json').data.secrets!.findings).toEqual([{ ruleId: 'test-rule', file: 'auth.py', line: 1, commit: '0000000000000000' }]);
    });
  });

  it('keeps the JSON form of the document when asked', () => {
    const r = read('junit/trivy-alpine-310.junit.xml');
    expect(r.json).toMatchObject({ testsuites: { '@name': 'trivy' } });
    expect(read('sarif/trivy-alpine-310.sarif').json).toMatchObject({ version: '2.1.0' });
  });
});
