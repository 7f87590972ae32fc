// The audit-period timeline: fresh-and-passing intervals and the gaps between.
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { complement, merge } from '../../src/evaluate/timeline.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { removeDir, tempDir, writeTree } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const junit = (timestamp: string, failures: number) =>
  `<testsuite name="s" tests="1" failures="${failures}" errors="0" skipped="0" timestamp="${timestamp}"><testcase name="t">${failures ? '<failure message="x"/>' : ''}</testcase></testsuite>\n`;

describe('audit timeline', () => {
  it('turns the history of a periodic policy and proof into intervals and gaps inside the period', async () => {
    const dir = writeTree(tempDir(), {
      'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec:\n  audit: {period: {start: 2026-10-01, end: 2026-10-31}}\n',
      'fw.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: fw}\nspec:\n  sections: [{name: S, id: S1, requirements: [{ref: req}]}]\n',
      'req.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: req}\nspec:\n  policies: [{ref: tests-passed, periodicity: weekly}]\n  manual_proofs: [{name: review, periodicity: P10D}]\n',
      'product.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec: {projects: [p], frameworks: [fw]}\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  policies: [{ref: tests-passed}]\n',
      'evidence/p/t1.xml': junit('2026-10-01T00:00:00Z', 0),
      'evidence/p/t2.xml': junit('2026-10-05T00:00:00Z', 0),
      'evidence/p/t3.xml': junit('2026-10-20T00:00:00Z', 1),
      'evidence/p/t4.xml': junit('2026-10-25T00:00:00Z', 0),
      'review-1.md': '---\nrequirement: req\nproof: review\nproject: p\ndate: 2026-10-03\n---\n',
      'review-2.md': '---\nrequirement: req\nproof: review\nproject: p\ndate: 2026-10-10\n---\n',
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const { report } = await evaluate(model, { now: '2026-11-15T00:00:00Z', version: 't' });
    const [policy, proof] = report.products[0].timeline;
    expect(policy).toMatchObject({ requirement: 'req', project: 'p', type: 'policy', name: 'tests-passed', periodicity: 'weekly' });
    expect(policy.intervals).toEqual([
      { start: '2026-10-01T00:00:00.000Z', end: '2026-10-12T00:00:00.000Z' },
      { start: '2026-10-25T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
    ]);
    expect(policy.gaps).toEqual([{ start: '2026-10-12T00:00:00.000Z', end: '2026-10-25T00:00:00.000Z' }]);
    expect(proof.intervals).toEqual([{ start: '2026-10-03T00:00:00.000Z', end: '2026-10-20T00:00:00.000Z' }]);
    expect(proof.gaps).toEqual([
      { start: '2026-10-01T00:00:00.000Z', end: '2026-10-03T00:00:00.000Z' },
      { start: '2026-10-20T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
    ]);
  });

  it('merges overlapping intervals and complements them', () => {
    const m = merge([
      { start: 'c', end: 'e' },
      { start: 'a', end: 'b' },
      { start: 'd', end: 'f' },
    ]);
    expect(m).toEqual([
      { start: 'a', end: 'b' },
      { start: 'c', end: 'f' },
    ]);
    expect(complement(m, 'a', 'g')).toEqual([
      { start: 'b', end: 'c' },
      { start: 'f', end: 'g' },
    ]);
  });
});
