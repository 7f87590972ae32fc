// The scenario repo: several projects, every rule of SPEC section 8, and the
// full expected result table.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { proofsInScope } from '../../src/evaluate/results.ts';
import type { Model, Proof } from '../../src/model/types.ts';
import { removeDir, repoRoot, tempDir, writeTree } from '../helpers.ts';

const root = path.join(repoRoot, 'test/fixtures/scenario');
const now = '2026-11-22T00:00:00.000Z';
let model: Model;
let report: Report;

beforeAll(async () => {
  ({ model } = await loadModel(root));
  ({ report } = await evaluate(model, { now, version: 'test' }));
});

describe('scenario', () => {
  it('loads without content errors', () => {
    expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('gives the expected status for every result', () => {
    const table = report.products[0].results.map((r) => `${r.requirement} ${r.project ?? '-'} ${r.status}${r.underlying ? ` (${r.underlying})` : ''}${r.overridden ? ' overridden' : ''}`);
    expect(table).toEqual([
      'inactive-req api INACTIVE',
      'inactive-req web INACTIVE',
      'inactive-req cli INACTIVE',
      'product-review - FAILED',
      'sbom-req api PASSED',
      'sbom-req web MISSING',
      'sbom-req cli NOT_APPLICABLE',
      'sec-review api PASSED',
      'sec-review web EXPIRED',
      'sec-review cli PASSED overridden',
      'tests-ok api PASSED',
      'tests-ok web EXCEPTION (FAILED)',
      'tests-ok cli MISSING',
      'vuln-high api PASSED',
      'vuln-high web MISSING',
      'vuln-high cli MISSING',
    ]);
  });

  it('auto-matches a MEDIUM scan to a HIGH requirement and judges it with HIGH', () => {
    const r = report.products[0].results.find((x) => x.requirement === 'vuln-high' && x.project === 'api')!;
    expect(r.parts[0]).toMatchObject({ name: 'vulnerabilities', match: 'auto', status: 'PASSED', with: { severity: 'HIGH' } });
    expect(r.parts[0].evidence).toContain('evidence/api/grype.json');
  });

  it('explains a parameter mismatch (CRITICAL does not cover HIGH)', () => {
    const r = report.products[0].results.find((x) => x.requirement === 'vuln-high' && x.project === 'web')!;
    expect(r.parts[0].status).toBe('MISSING');
    expect(r.parts[0].message).toMatch(/Parameter mismatch/);
    expect(r.parts[0].message).toContain('CRITICAL');
  });

  it('takes the worst project for a PRODUCT-scoped policy part, and product-level proofs', () => {
    const r = report.products[0].results.find((x) => x.requirement === 'product-review')!;
    expect(r.project).toBeNull();
    expect(r.parts.map((p) => `${p.type}:${p.name}:${p.status}:${p.project ?? '-'}`)).toEqual(['policy:tests-passed:FAILED:web', 'proof:signoff:PASSED:-']);
  });

  it('prefers a project proof over an org-wide one, and expires org-wide proofs by their periodicity', () => {
    const results = report.products[0].results.filter((x) => x.requirement === 'sec-review');
    expect(results.map((r) => r.parts[0].proof?.file)).toEqual(['proofs/review-api.md', 'proofs/review-org.md', 'proofs/review-org.md']);
    expect(results[1].parts[0].expires).toBe('2026-01-01T00:00:00.000Z');
    // the optional proof is shown as MISSING and does not change the result
    expect(results[0].parts[1]).toMatchObject({ name: 'notes', optional: true, status: 'MISSING' });
  });

  it('scores with counted results only', () => {
    const p = report.products[0];
    expect(p.counts).toMatchObject({ PASSED: 5, MISSING: 4, FAILED: 1, EXPIRED: 1, EXCEPTION: 1, NOT_APPLICABLE: 1, INACTIVE: 3, GRACE: 0 });
    expect(p.score).toBeCloseTo(5 / 11, 12);
  });

  it('aggregates controls and the framework', () => {
    const fw = report.products[0].frameworks[0];
    expect(fw.controls.map((c) => `${c.id} ${c.status} ${c.addressed}`)).toEqual(['C1 MISSING none', 'C2 MISSING none', 'C3 INACTIVE none', 'C4 MISSING none', 'C5 FAILED none']);
    expect(fw.controls[2].score).toBeNull();
    expect(fw.score).toBeCloseTo(5 / 11, 12);
  });

  it('is byte-identical for the same model and now', async () => {
    const again = await evaluate(model, { now, version: 'test' });
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
  });
});

describe('scores without control reports (history)', () => {
  it('gives every framework the same score and counts as the full report, with and without not-applicable controls', async () => {
    // A not-applicable control whose requirement no other control maps: it must not count.
    const own = writeTree(tempDir(), {
      'fw.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: fw}\nspec:\n  sections: [{name: S, id: S1, requirements: [{ref: a}]}, {name: T, id: T1, requirements: [{ref: b}]}]\n',
      'reqs.yaml': ['a', 'b'].map((n) => `apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: ${n}}\nspec:\n  policies: [{ref: tests-passed}]\n`).join('---\n'),
      'product.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [p]\n  frameworks: [fw]\n  applicability:\n    - control: fw/T1\n      rationale: r\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  policies: [{ref: tests-passed}]\n',
      'evidence/p/t.xml': '<testsuite name="s" tests="1" failures="0" errors="0" skipped="0" timestamp="2026-11-01T00:00:00Z"><testcase name="t"/></testsuite>\n',
    });
    for (const dir of [root, path.join(repoRoot, 'examples/acme'), own]) {
      const { model: m } = await loadModel(dir);
      const full = (await evaluate(m, { now, version: 'test' })).report;
      const lean = (await evaluate(m, { now, version: 'test', timeline: false, controls: false })).report;
      expect(full.products.flatMap((p) => p.frameworks.flatMap((f) => f.controls)).some((c) => !c.applicable) || dir === root).toBe(true);
      expect(lean.products.every((p) => p.frameworks.every((f) => f.controls.length === 0))).toBe(true);
      const scores = (r: Report) => r.products.map((p) => [p.name, p.score, p.frameworks.map((f) => [f.name, f.score, f.counts])]);
      expect(scores(lean)).toEqual(scores(full));
    }
    removeDir(own);
  });
});

describe('proofsInScope', () => {
  it('gives the proofs a result may use, from its project, its product and the org, in the model’s order', () => {
    const proof = (file: string, scope: { project?: string; product?: string }, name = 'review') => ({ file, requirement: 'code-review', proof: name, ...scope }) as unknown as Proof;
    const proofs = [
      proof('a-org.md', {}),
      proof('b-api.md', { project: 'api' }),
      proof('c-shop.md', { product: 'shop' }),
      proof('d-web.md', { project: 'web' }),
      proof('e-other.md', { product: 'other' }),
      proof('f-api.md', { project: 'api' }),
      proof('g-api-signoff.md', { project: 'api' }, 'signoff'),
    ];
    const model = { proofs } as unknown as Model;
    const files = (product: string, project: string | null, name = 'review') => proofsInScope(model, 'code-review', name, product, project).map((p) => p.file);
    expect(files('shop', 'api')).toEqual(['a-org.md', 'b-api.md', 'c-shop.md', 'f-api.md']);
    expect(files('shop', null)).toEqual(['a-org.md', 'c-shop.md']);
    expect(files('other', 'web')).toEqual(['a-org.md', 'd-web.md', 'e-other.md']);
    expect(files('none', 'none')).toEqual(['a-org.md']);
    expect(files('shop', 'api', 'signoff')).toEqual(['g-api-signoff.md']);
    expect(proofsInScope(model, 'another', 'review', 'shop', 'api')).toEqual([]);
  });
});
