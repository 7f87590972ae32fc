// OSCAL assessment results of the scenario product, validated against the
// official OSCAL 1.1.2 JSON schema (draft-07) with ajv, then checked for content.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { oscalToken, toOscalAssessmentResults, uuidV5 } from '../../src/export/oscal.ts';
import { loadModel } from '../../src/load/load-model.ts';
import type { Model } from '../../src/model/types.ts';
import { corpusDir, repoRoot } from '../helpers.ts';

// CommonJS interop: the default export may arrive wrapped.
type AjvClass = typeof import('ajv').default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
type FormatsPlugin = typeof import('ajv-formats').default;
const addFormats: FormatsPlugin = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

const schemaFile = path.join(corpusDir, 'oscal-schema/oscal_assessment-results_schema-1.1.2.json');
const exampleFile = path.join(corpusDir, 'oscal-schema/ifa_assessment-results-example.json');
const root = path.join(repoRoot, 'test/fixtures/scenario');
const now = '2026-11-22T00:00:00.000Z';
let model: Model;
let report: Report;
let doc: any;

beforeAll(async () => {
  ({ model } = await loadModel(root));
  ({ report } = await evaluate(model, { now, version: 'test' }));
  doc = toOscalAssessmentResults(report, model, 'acme');
});

let compiled: ReturnType<InstanceType<AjvClass>['compile']> | undefined;
function compileSchema() {
  if (compiled) return compiled;
  const ajv = new Ajv(Object.freeze({ allErrors: true, strict: false, unicodeRegExp: true, useDefaults: false, coerceTypes: false, removeAdditional: false }));
  addFormats(ajv);
  compiled = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  return compiled;
}

describe.skipIf(!existsSync(schemaFile))('OSCAL schema', () => {
  it('accepts NIST example (the validator works)', () => {
    const validate = compileSchema();
    expect(validate(JSON.parse(readFileSync(exampleFile, 'utf8'))), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('accepts the assessment results', () => {
    const validate = compileSchema();
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('rejects a broken document (the validator is not vacuous)', () => {
    const validate = compileSchema();
    const broken = structuredClone(doc);
    broken['assessment-results'].results[0].findings[0].target.status.state = 'unknown';
    expect(validate(broken)).toBe(false);
  });

  it('stays valid with awkward content: ids that are not tokens, multi-line and padded text', () => {
    const odd = structuredClone(report);
    const product = odd.products[0];
    product.frameworks[0].controls[0].id = '5.1 (a)';
    product.frameworks[0].controls[0].rationale = '  two\nlines *with* <markup> ';
    product.results[0].rationale = '\n';
    product.displayName = ' [Acme](javascript:alert(1)) ';
    const validate = compileSchema();
    const out: any = toOscalAssessmentResults(odd, model, 'acme');
    expect(validate(out), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const finding = out['assessment-results'].results[0].findings[0];
    expect(finding.target['target-id']).toBe('_5.1__a_');
    expect(finding.props).toContainEqual({ name: 'control-id', ns: 'urn:evident:oscal', value: '5.1 (a)' });
    expect(out['assessment-results'].metadata.title).not.toContain('](');
  });
});

describe('OSCAL assessment results', () => {
  it('has the metadata, the plan placeholder and the period', () => {
    const ar = doc['assessment-results'];
    expect(ar.metadata).toMatchObject({ 'last-modified': now, 'oscal-version': '1.1.2' });
    expect(ar['import-ap'].href).toMatch(/^#[0-9a-f-]{36}$/);
    expect(ar['back-matter'].resources.map((r: any) => r.uuid)).toContain(ar['import-ap'].href.slice(1));
    expect(ar.results).toHaveLength(1);
    expect(ar.results[0]).toMatchObject({ start: now, end: now });
  });

  it('lists every control in reviewed-controls and in findings', () => {
    const result = doc['assessment-results'].results[0];
    const ids = report.products[0].frameworks[0].controls.map((c) => c.id);
    expect(result['reviewed-controls']['control-selections'][0]['include-controls'].map((c: any) => c['control-id'])).toEqual(ids);
    expect(result.findings.map((f: any) => f.target['target-id'])).toEqual(ids);
  });

  it('maps a FAILED control to a not-satisfied finding tied to its observation', () => {
    const result = doc['assessment-results'].results[0];
    const c5 = result.findings.find((f: any) => f.target['target-id'] === 'C5');
    expect(c5.target.status).toMatchObject({ state: 'not-satisfied', reason: 'fail' });
    expect(c5.props).toContainEqual(expect.objectContaining({ name: 'status', value: 'FAILED' }));
    const related = c5['related-observations'].map((o: any) => o['observation-uuid']);
    const obs = result.observations.filter((o: any) => related.includes(o.uuid));
    expect(obs.map((o: any) => o.props.find((p: any) => p.name === 'requirement').value)).toEqual(['product-review']);
    expect(obs[0].methods).toEqual(['EXAMINE', 'TEST']);
    const c3 = result.findings.find((f: any) => f.target['target-id'] === 'C3');
    expect(c3.target.status).toMatchObject({ state: 'not-satisfied', reason: 'other' });
  });

  it('points observations at the evidence with its SHA-256 and commit', () => {
    const result = doc['assessment-results'].results[0];
    const item = model.evidence.find((e) => e.path === 'evidence/api/grype.json')!;
    const obs = result.observations.find((o: any) => o.props.some((p: any) => p.name === 'requirement' && p.value === 'vuln-high') && o.props.some((p: any) => p.name === 'project' && p.value === 'api'));
    const ev = obs['relevant-evidence'].find((e: any) => e.href === 'evidence/api/grype.json');
    expect(ev.props).toContainEqual({ name: 'sha256', ns: 'urn:evident:oscal', value: item.sha256 });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    const resource = doc['assessment-results']['back-matter'].resources.find((r: any) => `#${r.uuid}` === ev.links[0].href);
    expect(resource.rlinks[0]).toEqual({ href: 'evidence/api/grype.json', hashes: [{ algorithm: 'SHA-256', value: item.sha256 }] });
    const commit = item.git.dirty ? null : item.git.last?.sha;
    if (commit) expect(ev.props).toContainEqual({ name: 'git-commit', ns: 'urn:evident:oscal', value: commit });
  });

  it('is identical when built twice, and its UUIDs are v5', async () => {
    const again = await evaluate(model, { now, version: 'test' });
    expect(JSON.stringify(toOscalAssessmentResults(again.report, model, 'acme'))).toBe(JSON.stringify(doc));
    const uuids = JSON.stringify(doc).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)!;
    for (const u of uuids) expect(u[14]).toBe('5');
    const own = [doc['assessment-results'].uuid, doc['assessment-results'].results[0].uuid, ...doc['assessment-results'].results[0].observations.map((o: any) => o.uuid), ...doc['assessment-results'].results[0].findings.map((f: any) => f.uuid)];
    expect(new Set(own).size).toBe(own.length);
  });

  it('uses the audit period for the result when one is set', () => {
    const withPeriod = { ...model, config: { ...model.config, audit: { period: { start: '2026-01-01', end: '2026-06-30' } } } };
    const result = (toOscalAssessmentResults(report, withPeriod, 'acme') as any)['assessment-results'].results[0];
    expect(result).toMatchObject({ start: '2026-01-01T00:00:00Z', end: '2026-06-30T23:59:59Z' });
    expect(result.uuid).not.toBe(doc['assessment-results'].results[0].uuid);
  });

  it('throws for a product the report does not have', () => {
    expect(() => toOscalAssessmentResults(report, model, 'nope')).toThrow(/no product "nope"/);
  });
});

describe('uuidV5', () => {
  it('matches the RFC 4122 test vector (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('oscalToken', () => {
  it.each([
    ['CC8.1', 'CC8.1'],
    ['A.5.1', 'A.5.1'],
    ['5.1', '_5.1'],
    ['AI.P1.2a', 'AI.P1.2a'],
    ['a b/c', 'a_b_c'],
  ])('%s → %s', (input, token) => {
    expect(oscalToken(input)).toBe(token);
  });
});
