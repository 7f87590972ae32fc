// readEvidence's pipeline: empty files, LFS pointers, decoding, sniffing,
// positioned parse errors, which files claim a format, name-decided kinds, and
// that it never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../src/evidence/read.ts';
import { evidenceKinds } from '../../src/evidence/types.ts';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const read = (path: string, text: string, keepJson = false) => readEvidence(path, enc(text), { keepJson });

describe('readEvidence', () => {
  it('reports an empty file as a warning', () => {
    expect(readEvidence('evidence/a/sbom.json', new Uint8Array())).toEqual({
      kind: 'file',
      data: {},
      problems: [{ severity: 'warning', code: 'file-empty', message: 'The evidence file is empty.' }],
    });
  });

  it('reports a Git LFS pointer and does not parse it as the format', () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    const r = read('evidence/a/sbom.cdx.json', pointer);
    expect(r.kind).toBe('file');
    expect(r.format).toBe('Git LFS pointer');
    expect(r.problems).toEqual([{ severity: 'warning', code: 'evidence-lfs-pointer', message: expect.stringContaining('Git LFS pointer') }]);
  });

  describe('JSON that does not parse', () => {
    it('reports truncated JSON at its end', () => {
      const r = read('scan.json', '{\n  "matches": [\n    {"a": 1}');
      expect(r.kind).toBe('file');
      expect(r.problems).toEqual([{ severity: 'error', code: 'evidence-parse-error', message: "Malformed JSON: Expected ',' or ']' after array element", line: 3, column: 13 }]);
      expect(read('scan.json', '{"a": ').problems[0]).toMatchObject({ message: 'Malformed JSON: Unexpected end of JSON input', line: 1, column: 7 });
    });

    it('reports a syntax error at the offending token', () => {
      expect(read('a.sarif', '{\n  "version": "2.1.0"\n  "runs": []\n}').problems).toEqual([
        { severity: 'error', code: 'evidence-parse-error', message: "Malformed JSON: Expected ',' or '}' after property value", line: 3, column: 3 },
      ]);
      // V8 gives no position for this one; the scanner finds it.
      expect(read('a.json', '[1,2,,]').problems[0]).toMatchObject({ message: "Malformed JSON: Unexpected token ','", line: 1, column: 6 });
      expect(read('a.json', '{"a": tru}').problems[0]).toMatchObject({ line: 1, column: 7 });
    });

    it('reports a bad line of JSON Lines at that line', () => {
      const r = read('prov.intoto.jsonl', '{"a": 1}\n{"b": }\n');
      expect(r.problems).toEqual([{ severity: 'error', code: 'evidence-parse-error', message: expect.stringMatching(/^Malformed JSON/), line: 2, column: 7 }]);
    });

    it('is an error only when the file claims JSON', () => {
      expect(read('README.md', '[link](https://example.org)\n')).toEqual({ kind: 'file', data: {}, problems: [] });
      expect(read('notes.txt', '{ not json')).toEqual({ kind: 'file', data: {}, problems: [] });
      // No extension: the first byte claims it.
      expect(read('scan', '{ not json').problems[0]).toMatchObject({ code: 'evidence-parse-error', line: 1, column: 3 });
      expect(read('bundle.sigstore', '\n  hello').problems[0]).toMatchObject({ code: 'evidence-parse-error', message: "Malformed JSON: Unexpected token 'h'", line: 2, column: 3 });
      expect(read('report.xml', 'hello').problems[0]).toMatchObject({ code: 'evidence-parse-error', message: expect.stringMatching(/^Malformed XML/) });
      // A JSON scalar is valid JSON, just not evidence.
      expect(read('value.json', '42')).toEqual({ kind: 'file', format: 'JSON', data: {}, problems: [] });
      expect(read('notes.txt', 'hello')).toEqual({ kind: 'file', data: {}, problems: [] });
    });
  });

  describe('XML', () => {
    it('reports malformed XML that claims to be XML, with its position', () => {
      const r = read('junit.xml', '<testsuites>\n  <testsuite>\n  </testsuites>');
      expect(r.kind).toBe('file');
      expect(r.problems).toEqual([{ severity: 'error', code: 'evidence-parse-error', message: expect.stringContaining("Expected closing tag 'testsuite'"), line: 3, column: 3 }]);
      expect(read('page.html', '<html><body><br></body></html>').problems).toEqual([]);
    });

    it('refuses XML with entity declarations, never expanding them', () => {
      const r = read('report.xml', '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n  <!ENTITY boom "x">\n]>\n<testsuites><testsuite><testcase name="&boom;"/></testsuite></testsuites>', true);
      expect(r.kind).toBe('file');
      expect(r.data).toEqual({});
      expect(r.json).toBeUndefined();
      expect(r.problems).toEqual([{ severity: 'error', code: 'evidence-xml-entities', message: expect.stringContaining('entity expansion is off'), line: 3, column: 3 }]);
    });

    it('leaves unknown XML as a file', () => {
      expect(read('pom.xml', '<project><modelVersion>4.0.0</modelVersion></project>')).toEqual({ kind: 'file', format: 'XML', data: {}, problems: [] });
    });
  });

  it('decides a clean gitleaks report `[]` by the file name', () => {
    expect(read('evidence/app/gitleaks.json', '[]')).toEqual({ kind: 'gitleaks', format: 'gitleaks JSON', data: { secrets: { findings: [] } }, problems: [] });
    expect(read('evidence/app/Gitleaks-Report.json', '[]\n').kind).toBe('gitleaks');
    expect(read('evidence/app/other.json', '[]')).toEqual({ kind: 'file', format: 'JSON', data: {}, problems: [] });
    // Findings identify themselves whatever the name.
    expect(read('evidence/app/other.json', '[{"RuleID":"aws-access-token","File":"a.env","StartLine":3,"Commit":"abc"}]').data.secrets!.findings).toEqual([
      { ruleId: 'aws-access-token', file: 'a.env', line: 3, commit: 'abc' },
    ]);
  });

  it('keeps SPDX tag-value as a file, with a warning naming it', () => {
    const r = read('sbom.spdx', '# generated\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n');
    expect(r.kind).toBe('file');
    expect(r.format).toBe('SPDX tag-value (SPDX-2.3)');
    expect(r.problems).toEqual([{ severity: 'warning', code: 'evidence-unsupported-format', message: expect.stringContaining('SPDX tag-value (SPDX-2.3) is not supported'), hint: expect.stringContaining('SPDX JSON') }]);
  });

  it('keeps recognised but unsupported versions as files, with a warning', () => {
    expect(read('a.sarif', '{"version":"1.0.0","runs":[]}')).toMatchObject({ kind: 'file', problems: [{ severity: 'warning', code: 'evidence-unsupported-format', message: expect.stringContaining('SARIF 1.0.0') }] });
    expect(read('old.cdx.json', '{"bomFormat":"CycloneDX","specVersion":"1.1"}')).toMatchObject({ kind: 'file', problems: [{ code: 'evidence-unsupported-format', message: expect.stringContaining('older') }] });
    expect(read('x.spdx.json', '{"spdxVersion":"SPDX-2.1","SPDXID":"SPDXRef-DOCUMENT"}')).toMatchObject({ kind: 'file', problems: [{ code: 'evidence-unsupported-format' }] });
    expect(read('x.json', '{"SchemaVersion":1,"Results":[]}')).toMatchObject({ kind: 'file', problems: [{ code: 'evidence-unsupported-format', message: expect.stringContaining('Trivy') }] });
  });

  it('reports a CycloneDX document without a spec version', () => {
    expect(read('x.cdx.json', '{"bomFormat":"CycloneDX","components":[]}')).toMatchObject({ kind: 'file', problems: [{ severity: 'error', code: 'evidence-invalid' }] });
  });

  it('decodes UTF-8 with a BOM and UTF-16 with a BOM', () => {
    const json = '{"catalogVersion":"2024.01.10","dateReleased":"2024-01-10T15:00:05.1234Z","vulnerabilities":[{"cveID":"CVE-2023-1"}]}';
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(json)]);
    expect(readEvidence('kev.json', bom).kind).toBe('kev');
    const utf16 = new Uint8Array(2 + json.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < json.length; i++) utf16[2 + i * 2] = json.charCodeAt(i);
    expect(readEvidence('kev.json', utf16)).toMatchObject({ kind: 'kev', timestamp: '2024-01-10T15:00:05.123Z', data: { kev: { version: '2024.01.10', cves: ['CVE-2023-1'] } } });
  });

  it('treats bytes that are not UTF-8 as a plain file, unless the name claims JSON or XML', () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0xfd]);
    expect(readEvidence('diagram.png', binary)).toEqual({ kind: 'file', data: {}, problems: [] });
    expect(readEvidence('scan.json', binary).problems).toEqual([{ severity: 'error', code: 'evidence-parse-error', message: expect.stringContaining('not valid UTF-8') }]);
  });

  it('leaves unknown JSON as a file, and keeps the JSON only when asked', () => {
    expect(read('package.json', '{"name":"x"}')).toEqual({ kind: 'file', format: 'JSON', data: {}, problems: [] });
    expect(read('package.json', '{"name":"x"}', true).json).toEqual({ name: 'x' });
    expect(read('gitleaks.json', '[]').json).toBeUndefined();
  });

  it('reads JSON Lines of DSSE envelopes, one provenance each', () => {
    const statement = (n: number) => ({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `a${n}`, digest: { sha256: `${n}`.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://example.org/bt' }, runDetails: { builder: { id: 'https://example.org/builder' }, metadata: { finishedOn: `2024-0${n}-01T00:00:00Z` } } },
    });
    const envelope = (n: number) => JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(JSON.stringify(statement(n))).toString('base64'), signatures: [{ keyid: '', sig: 'c2ln' }] });
    const r = read('prov.intoto.jsonl', `${envelope(1)}\n${envelope(2)}\n`);
    expect(r.kind).toBe('slsa-provenance');
    expect(r.format).toBe('SLSA provenance v1 (DSSE envelope, JSON Lines)');
    expect(r.data.provenance!.map((p) => [p.subjects[0]!.name, p.finishedOn, p.signed])).toEqual([
      ['a1', '2024-01-01T00:00:00.000Z', true],
      ['a2', '2024-02-01T00:00:00.000Z', true],
    ]);
    expect(r.timestamp).toBe('2024-02-01T00:00:00.000Z');
    // Without the .jsonl name, several object lines are still JSON Lines.
    expect(read('prov.txt', `${envelope(1)}\n${envelope(2)}`).data.provenance).toHaveLength(2);
  });

  it('never throws and always returns a known kind', () => {
    const shapes = fc.oneof(
      fc.jsonValue(),
      fc.record({ bomFormat: fc.constant('CycloneDX'), specVersion: fc.constantFrom('1.4', '1.5', '1.6'), components: fc.jsonValue(), vulnerabilities: fc.jsonValue(), metadata: fc.jsonValue(), dependencies: fc.jsonValue() }),
      fc.record({ version: fc.constant('2.1.0'), runs: fc.array(fc.jsonValue()) }),
      fc.record({ spdxVersion: fc.constant('SPDX-2.3'), packages: fc.jsonValue(), relationships: fc.jsonValue(), creationInfo: fc.jsonValue() }),
      fc.record({ '@context': fc.constant('https://spdx.org/rdf/3.0.1/spdx-context.jsonld'), '@graph': fc.array(fc.jsonValue()) }),
      fc.record({ mediaType: fc.constant('application/vnd.dev.sigstore.bundle.v0.3+json'), dsseEnvelope: fc.jsonValue(), messageSignature: fc.jsonValue(), verificationMaterial: fc.jsonValue() }),
      fc.record({ payloadType: fc.constant('application/vnd.in-toto+json'), payload: fc.base64String(), signatures: fc.array(fc.jsonValue()) }),
      fc.record({ attestations: fc.array(fc.record({ predicateType: fc.string(), bundle: fc.record({ mediaType: fc.constant('application/vnd.dev.sigstore.bundle+json;version=0.2'), dsseEnvelope: fc.jsonValue() }) })) }),
      fc.record({ matches: fc.array(fc.jsonValue()), descriptor: fc.record({ name: fc.constant('grype'), timestamp: fc.jsonValue() }) }),
      fc.record({ SchemaVersion: fc.constant(2), Results: fc.jsonValue(), CreatedAt: fc.jsonValue() }),
      fc.record({ results: fc.array(fc.record({ packages: fc.array(fc.jsonValue()) })) }),
      fc.record({ auditReportVersion: fc.constant(2), vulnerabilities: fc.dictionary(fc.string(), fc.jsonValue()) }),
      fc.record({ '@context': fc.constant('https://openvex.dev/ns/v0.2.0'), statements: fc.array(fc.jsonValue()), timestamp: fc.jsonValue() }),
      fc.record({ checks: fc.array(fc.jsonValue()), scorecard: fc.jsonValue(), score: fc.jsonValue(), date: fc.jsonValue() }),
      fc.record({ catalogVersion: fc.string(), vulnerabilities: fc.array(fc.jsonValue()), dateReleased: fc.jsonValue() }),
      fc.record({ url: fc.constant('https://api.github.com/repos/o/r/branches/main/protection'), required_pull_request_reviews: fc.jsonValue(), enforce_admins: fc.jsonValue() }),
      fc.record({ base64Signature: fc.string(), cert: fc.string(), rekorBundle: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(shapes, fc.constantFrom('x.json', 'gitleaks.json', 'osv.json', 'x.jsonl'), (value, name) => {
        const r = readEvidence(name, enc(JSON.stringify(value)));
        expect(evidenceKinds).toContain(r.kind);
        expect(Array.isArray(r.problems)).toBe(true);
      }),
      { numRuns: 600, seed: 4242 },
    );
    const xml = fc.array(fc.constantFrom('<testsuites>', '</testsuites>', '<testsuite name="a" timestamp="x">', '</testsuite>', '<testcase name="t">', '</testcase>', '<failure/>', '<bom xmlns="http://cyclonedx.org/schema/bom/1.4">', '</bom>', '<components>', '</components>', '<component type="library">', '</component>', 'text', '&amp;'), { maxLength: 12 });
    fc.assert(
      fc.property(xml, (parts) => {
        const r = readEvidence('x.xml', enc(parts.join('')));
        expect(evidenceKinds).toContain(r.kind);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
