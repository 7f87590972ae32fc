// The synthetic repo generator behind `npm run bench`: the same seed gives the
// same tree and the same commits, the content loads without errors, and the
// real evaluation gives every product results.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import type { Model } from '../../src/model/types.ts';
import { generateRepo, type Generated } from '../../scripts/lib/generate-repo.ts';
import { sizes } from '../../scripts/lib/synthetic-repo.ts';
import { removeDir, tempDir } from '../helpers.ts';

/** Content-relative path → SHA-256 of every file outside .git. */
function fileHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else out.set(p, createHash('sha256').update(readFileSync(path.join(dir, p))).digest('hex'));
    }
  };
  walk('');
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

const head = (dir: string) => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();

describe('scripts/generate: size S', () => {
  let work: string;
  let first: string;
  let second: string;
  let generated: Generated;
  let model: Model;

  beforeAll(async () => {
    work = tempDir('evident-generate-');
    first = path.join(work, 'first');
    second = path.join(work, 'second');
    generated = await generateRepo({ size: 'S', seed: 7, out: first });
    await generateRepo({ size: 'S', seed: 7, out: second });
    ({ model } = await loadModel(first));
  });
  afterAll(() => removeDir(work));

  it('gives identical trees and commits for the same seed', () => {
    const a = fileHashes(first);
    expect(a.size).toBeGreaterThan(sizes.S.evidence);
    expect([...fileHashes(second)]).toEqual([...a]);
    expect(head(second)).toBe(head(first));
  });

  it('has the planned shape: evidence files, SBOMs, scans and commits', () => {
    const evidence = [...fileHashes(first).keys()].filter((p) => p.startsWith('evidence/'));
    expect(evidence).toHaveLength(sizes.S.evidence);
    expect(evidence.filter((p) => p.endsWith('sbom.cdx.json'))).toHaveLength(sizes.S.sboms);
    expect(evidence.filter((p) => /\/images\/[^/]+\/(grype|trivy|osv-scanner)\.json$/.test(p))).toHaveLength(sizes.S.vulnerabilityReports);
    expect(generated.commits).toBe(sizes.S.commits);
    expect(Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: first, encoding: 'utf8' }))).toBe(sizes.S.commits);
    expect(Date.parse(execFileSync('git', ['log', '-1', '--format=%cI'], { cwd: first, encoding: 'utf8' }).trim())).toBe(Date.parse(generated.head));
  });

  it('loads without content errors, every evidence file read as a known kind', () => {
    const errors = model.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    const kinds = new Set(model.evidence.map((e) => e.kind));
    for (const kind of ['cyclonedx', 'grype', 'trivy', 'osv-scanner', 'sarif', 'junit', 'slsa-provenance', 'openvex', 'scorecard', 'gitleaks', 'github-branch-protection', 'kev']) expect(kinds).toContain(kind);
    // earlier git versions are earlier runs: the history matters
    expect(model.evidenceHistory.length).toBeGreaterThan(0);
    expect(Object.keys(model.products)).toHaveLength(sizes.S.products);
    expect(Object.keys(model.projects)).toHaveLength(sizes.S.projects);
  });

  it('evaluates with results for every product, policies and proofs alike', async () => {
    const { report } = await evaluate(model, { now: generated.head, version: 'test' });
    expect(report.products).toHaveLength(sizes.S.products);
    for (const product of report.products) {
      expect(product.results.length).toBeGreaterThan(0);
      expect(product.frameworks.map((f) => f.name).sort()).toEqual(['best-practices', 'cra', 'iso27001-2022', 'slsa', 'slsa-source', 'soc2', 'ssdf']);
      const statuses = new Set(product.results.map((r) => r.status));
      // real work: passing, failing and missing results side by side
      for (const s of ['PASSED', 'FAILED', 'MISSING'] as const) expect(statuses).toContain(s);
      const parts = product.results.flatMap((r) => r.parts);
      expect(parts.some((p) => p.type === 'policy' && p.status === 'PASSED')).toBe(true);
      expect(parts.some((p) => p.type === 'proof' && p.status === 'PASSED')).toBe(true);
    }
  });

  it('gives another tree for another seed', async () => {
    const other = path.join(work, 'other');
    await generateRepo({ size: 'S', seed: 8, out: other });
    expect(head(other)).not.toBe(head(first));
  });
});
