// CycloneDX 1.6 attestations of the scenario product, validated against the
// CycloneDX 1.6 JSON schema (validateCycloneDx: the CycloneDX library's strict
// validator, or the same schema files when an optional dependency is missing),
// then checked for content.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { toCycloneDxAttestation, validateCycloneDx } from '../../src/export/cdxa.ts';
import { toOscalAssessmentResults } from '../../src/export/oscal.ts';
import { loadModel } from '../../src/load/load-model.ts';
import type { Model } from '../../src/model/types.ts';
import { repoRoot } from '../helpers.ts';

const root = path.join(repoRoot, 'test/fixtures/scenario');
const now = '2026-11-22T00:00:00.000Z';
let model: Model;
let report: Report;
let bom: any;

beforeAll(async () => {
  ({ model } = await loadModel(root));
  ({ report } = await evaluate(model, { now, version: 'test' }));
  bom = toCycloneDxAttestation(report, model, 'acme');
});

const allBomRefs = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(allBomRefs);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'bom-ref' ? [v as string] : allBomRefs(v)));
  return [];
};

describe('CycloneDX schema', () => {
  it('accepts the attestation BOM', async () => {
    const { errors } = await validateCycloneDx(JSON.stringify(bom));
    expect(errors).toBeNull();
  });

  it('rejects a broken one (the validator is not vacuous)', async () => {
    const broken = structuredClone(bom);
    broken.declarations.attestations[0].map[0].conformance.score = 2;
    const { errors } = await validateCycloneDx(JSON.stringify(broken));
    expect(errors).not.toBeNull();
  });
});

describe('CycloneDX attestations', () => {
  it('is a deterministic 1.6 BOM', async () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { timestamp: now } });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await evaluate(model, { now, version: 'test' });
    expect(JSON.stringify(toCycloneDxAttestation(again.report, model, 'acme'))).toBe(JSON.stringify(bom));
  });

  it('defines a standard per framework whose requirements are the controls', () => {
    expect(bom.definitions.standards).toHaveLength(1);
    const standard = bom.definitions.standards[0];
    expect(standard).toMatchObject({ 'bom-ref': 'standard:demo', name: 'Demo Framework' });
    expect(standard.requirements.map((r: any) => r.identifier)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5']);
    expect(standard.requirements[4]).toMatchObject({ title: 'Product sign-off', properties: [{ name: 'evident:requirement', value: 'product-review (subset)' }] });
  });

  it('has one claim per requirement result, targeting the product or a project', () => {
    const claims = bom.declarations.claims;
    expect(claims).toHaveLength(report.products[0].results.length);
    const targets = new Set(bom.declarations.targets.components.map((c: any) => c['bom-ref']));
    expect([...targets].sort()).toEqual(['product:acme', 'project:api', 'project:cli', 'project:web']);
    for (const c of claims) expect(targets.has(c.target)).toBe(true);
    expect(claims.find((c: any) => c['bom-ref'] === 'claim:product-review@product:acme')).toMatchObject({ target: 'product:acme', predicate: 'product-review' });
  });

  it('cites evidence entries that exist, and files with their SHA-256 and commit', () => {
    const evidence = new Set(bom.declarations.evidence.map((e: any) => e['bom-ref']));
    for (const c of bom.declarations.claims) for (const ref of [...(c.evidence ?? []), ...(c.counterEvidence ?? [])]) expect(evidence.has(ref)).toBe(true);
    const item = model.evidence.find((e) => e.path === 'evidence/api/grype.json')!;
    const file = bom.components.find((c: any) => c['bom-ref'] === 'file:evidence/api/grype.json');
    expect(file.hashes).toEqual([{ alg: 'SHA-256', content: item.sha256 }]);
    const commit = item.git.dirty ? null : item.git.last?.sha;
    if (commit) expect(file.properties).toContainEqual({ name: 'evident:git:commit', value: commit });
    const vuln = bom.declarations.claims.find((c: any) => c['bom-ref'] === 'claim:vuln-high@project:api');
    expect(vuln.evidence).toContain('evidence:evidence/api/grype.json');
  });

  it('maps each control to claims and counter-claims with its score', () => {
    const map = bom.declarations.attestations[0].map;
    expect(map.map((m: any) => m.requirement)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5'].map((c) => `standard:demo/control:${c}`));
    const c5 = map[4];
    expect(c5.counterClaims).toEqual(['claim:product-review@product:acme']);
    expect(c5.claims).toBeUndefined();
    expect(c5.conformance.score).toBe(0);
    expect(c5.conformance.rationale).toMatch(/^FAILED/);
    const c1 = map[0];
    expect(c1.claims).toEqual(['claim:vuln-high@project:api']);
    expect(c1.counterClaims).toEqual(['claim:vuln-high@project:cli', 'claim:vuln-high@project:web']);
    expect(c1.conformance.score).toBeCloseTo(1 / 3, 12);
    // C2's sec-review for cli is PASSED by an override: less confidence.
    expect(map[1].confidence.score).toBeCloseTo(4 / 5, 12);
    // C3 is inactive: no claims and no score.
    expect(map[2]).toEqual({ requirement: 'standard:demo/control:C3', conformance: { rationale: expect.stringMatching(/^INACTIVE/) } });
  });

  it('has unique bom-refs', () => {
    const refs = allBomRefs(bom);
    expect(new Set(refs).size).toBe(refs.length);
  });
});

describe('public variant', () => {
  it('leaves out every trace of a confidential project\'s evidence, in both exports', async () => {
    const confidential: Model = { ...model, projects: { ...model.projects, api: { ...model.projects.api, confidential: true } } };
    const hashes = model.evidence.filter((e) => e.project === 'api').map((e) => e.sha256);
    expect(hashes.length).toBeGreaterThan(0);
    const cdxa = JSON.stringify(toCycloneDxAttestation(report, confidential, 'acme', { public: true }));
    const oscal = JSON.stringify(toOscalAssessmentResults(report, confidential, 'acme', { public: true }));
    for (const text of [cdxa, oscal]) {
      expect(text).not.toContain('evidence/api/');
      for (const h of hashes) expect(text).not.toContain(h);
    }
    expect((await validateCycloneDx(cdxa)).errors).toBeNull();
    // The internal variant still has them.
    expect(JSON.stringify(toCycloneDxAttestation(report, confidential, 'acme'))).toContain('evidence/api/grype.json');
  });
});
