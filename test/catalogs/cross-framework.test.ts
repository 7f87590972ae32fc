// One piece of evidence, evaluated once, shows up against every control it
// supports in every built-in framework.
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { removeDir, tempDir, writeTree } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const all = ['soc2', 'iso27001-2022', 'ssdf', 'slsa', 'slsa-source', 'cra', 'best-practices'];

const sbom = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  metadata: { timestamp: '2026-11-20T00:00:00Z', tools: { components: [{ type: 'application', name: 'cyclonedx-npm' }] }, component: { type: 'application', name: 'svc', version: '1.0.0', 'bom-ref': 'svc' } },
  components: [{ type: 'library', name: 'yaml', version: '2.9.1', 'bom-ref': 'pkg:npm/yaml@2.9.1', purl: 'pkg:npm/yaml@2.9.1', licenses: [{ license: { id: 'ISC' } }] }],
  dependencies: [{ ref: 'svc', dependsOn: ['pkg:npm/yaml@2.9.1'] }],
});

async function reportWith(evidence: Record<string, string>): Promise<Report> {
  const dir = writeTree(tempDir(), {
    'product.yaml': `apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [svc]\n  frameworks: [${all.join(', ')}]\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: svc}\nspec:\n  policies: [{ref: sbom-present}]\n`,
    ...evidence,
  });
  dirs.push(dir);
  const { model } = await loadModel(dir);
  expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (await evaluate(model, { now: '2026-11-22T00:00:00Z', version: 't' })).report;
}

describe('cross-framework effect of one SBOM', () => {
  it('raises the score of the controls mapped to sbom-per-release in every framework that maps it', async () => {
    const without = await reportWith({});
    const withSbom = await reportWith({ 'evidence/svc/sbom.cdx.json': sbom });
    const p0 = without.products[0];
    const p1 = withSbom.products[0];
    expect(p1.frameworks.map((f) => f.name)).toEqual(all);
    expect(p1.results.find((r) => r.requirement === 'sbom-per-release')?.status).toBe('PASSED');
    let frameworksRaised = 0;
    for (const f1 of p1.frameworks) {
      const f0 = p0.frameworks.find((f) => f.name === f1.name)!;
      const mapped = f1.controls.filter((c) => c.requirements.some((r) => r.ref === 'sbom-per-release'));
      for (const c1 of mapped) {
        const c0 = f0.controls.find((c) => c.id === c1.id)!;
        expect(c1.score!, `${f1.name}/${c1.id}`).toBeGreaterThan(c0.score ?? 0);
        expect(c1.addressed).not.toBe('none');
      }
      if (mapped.length) {
        frameworksRaised++;
        expect(f1.score!).toBeGreaterThan(f0.score ?? 0);
      }
    }
    expect(frameworksRaised).toBeGreaterThanOrEqual(4);
  });
});
