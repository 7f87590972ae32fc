// Table-driven rules and exact boundaries of SPEC section 8.
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { emptyCounts, statuses, type Report } from '../../src/evaluate/report-types.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { commit, gitInit, removeDir, tempDir, writeTree } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const junit = (timestamp: string, failures: number) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="suite" tests="2" failures="${failures}" errors="0" skipped="0" timestamp="${timestamp}">
  <testcase classname="s" name="one"/>
  <testcase classname="s" name="two">${failures ? '<failure message="boom">boom</failure>' : ''}</testcase>
</testsuite>
`;

function base(requirementSpec: string, productExtra = '', projectSpec = 'policies: [{ref: tests-passed}]', config = ''): Record<string, string> {
  return {
    'evident.yaml': `apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec:\n  organization: T\n${config}`,
    'fw.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: fw}\nspec:\n  sections:\n    - name: S\n      id: S1\n      requirements: [{ref: req, relationship: equal}]\n',
    'req.yaml': `apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: req}\nspec:\n${requirementSpec}`,
    'product.yaml': `apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [p]\n  frameworks: [fw]\n${productExtra}---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  ${projectSpec}\n`,
  };
}

async function statusAt(dir: string, now: string): Promise<Report['products'][number]['results'][number]> {
  const { model } = await loadModel(dir);
  const { report } = await evaluate(model, { now, version: 't' });
  return report.products[0].results[0];
}

describe('periodicity boundaries', () => {
  it('a proof exactly one window old is EXPIRED; a millisecond earlier it is PASSED', async () => {
    const dir = writeTree(tempDir(), {
      ...base('  manual_proofs: [{name: review, periodicity: yearly}]\n'),
      'proof.md': '---\nrequirement: req\nproof: review\nproject: p\ndate: 2025-11-22\n---\n',
    });
    dirs.push(dir);
    expect((await statusAt(dir, '2026-11-21T23:59:59.999Z')).status).toBe('PASSED');
    expect((await statusAt(dir, '2026-11-22T00:00:00.000Z')).status).toBe('EXPIRED');
  });

  it('monthly clamps to the end of a shorter month', async () => {
    const dir = writeTree(tempDir(), {
      ...base('  manual_proofs: [{name: review, periodicity: monthly}]\n'),
      'proof.md': '---\nrequirement: req\nproof: review\nproject: p\ndate: 2026-01-31\n---\n',
    });
    dirs.push(dir);
    const r = await statusAt(dir, '2026-02-27T00:00:00Z');
    expect(r.status).toBe('PASSED');
    expect(r.parts[0].expires).toBe('2026-02-28T00:00:00.000Z');
    expect((await statusAt(dir, '2026-02-28T00:00:00Z')).status).toBe('EXPIRED');
  });

  it('a PASSED policy expires from its evidence timestamp', async () => {
    const dir = writeTree(tempDir(), { ...base('  policies: [{ref: tests-passed, periodicity: daily}]\n'), 'evidence/p/t.xml': junit('2026-11-01T06:00:00Z', 0) });
    dirs.push(dir);
    expect((await statusAt(dir, '2026-11-02T05:59:59Z')).status).toBe('PASSED');
    expect((await statusAt(dir, '2026-11-02T06:00:00Z')).status).toBe('EXPIRED');
  });
});

describe('GRACE from the first failure of the current run of failures', () => {
  const dir = tempDir();
  dirs.push(dir);
  gitInit(dir);
  const files = base('  policies: [{ref: tests-passed, sla: 48}]\n');
  commit(dir, '2026-10-30T00:00:00Z', { ...files, 'evidence/p/run1.xml': junit('2026-10-31T00:00:00Z', 0) });
  commit(dir, '2026-11-01T00:00:00Z', { 'evidence/p/run2.xml': junit('2026-11-01T00:00:00Z', 1) });
  commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/run3.xml': junit('2026-11-02T00:00:00Z', 1) });

  it('is GRACE until first failure + sla, then FAILED (exact boundary)', async () => {
    const grace = await statusAt(dir, '2026-11-02T23:59:59.999Z');
    expect(grace.status).toBe('GRACE');
    expect(grace.parts[0].graceUntil).toBe('2026-11-03T00:00:00.000Z');
    expect(grace.parts[0].evaluation?.firstFailure).toBe('2026-11-01T00:00:00.000Z');
    expect((await statusAt(dir, '2026-11-03T00:00:00.000Z')).status).toBe('FAILED');
  });

  it('reads only the latest run of the stream', async () => {
    const r = await statusAt(dir, '2026-11-05T00:00:00Z');
    expect(r.parts[0].evaluation?.evidence).toEqual(['evidence/p/run3.xml']);
  });

  it('a pass breaks the run of failures', async () => {
    const before = await statusAt(dir, '2026-10-31T12:00:00Z');
    expect(before.status).toBe('PASSED');
  });
});

describe('exceptions, overrides, matching', () => {
  it('an exception applies through the end of its expiry day (UTC)', async () => {
    const dir = writeTree(tempDir(), {
      ...base('  policies: [{ref: tests-passed}]\n', '  exceptions:\n    - requirement: req\n      rationale: r\n      expires: 2026-12-31\n'),
      'evidence/p/t.xml': junit('2026-11-01T00:00:00Z', 1),
    });
    dirs.push(dir);
    const inside = await statusAt(dir, '2026-12-31T23:59:59.999Z');
    expect(inside).toMatchObject({ status: 'EXCEPTION', underlying: 'FAILED' });
    expect((await statusAt(dir, '2027-01-01T00:00:00Z')).status).toBe('FAILED');
  });

  it('an override sets the status and an exception still wraps it', async () => {
    const dir = writeTree(tempDir(), {
      ...base('  policies: [{ref: tests-passed}]\n', '  overrides:\n    - requirement: req\n      status: PASSED\n      by: a@b.c\n'),
      'evidence/p/t.xml': junit('2026-11-01T00:00:00Z', 1),
    });
    dirs.push(dir);
    expect(await statusAt(dir, '2026-11-02T00:00:00Z')).toMatchObject({ status: 'PASSED', overridden: true });
  });

  it('autoMatch: false leaves compatible entries unmatched; an explicit entry is taken as it is', async () => {
    const off = writeTree(tempDir(), { ...base('  policies: [{ref: tests-passed}]\n', '', 'policies: [{ref: tests-passed}]', '  autoMatch: false\n'), 'evidence/p/t.xml': junit('2026-11-01T00:00:00Z', 0) });
    dirs.push(off);
    expect((await statusAt(off, '2026-11-02T00:00:00Z')).status).toBe('MISSING');
    const explicit = writeTree(tempDir(), {
      ...base('  policies: [{ref: tests-passed, with: {min: 1}}]\n', '', 'policies: [{ref: tests-passed, with: {min: 5}, requirements: [fw/req]}]', '  autoMatch: false\n'),
      'evidence/p/t.xml': junit('2026-11-01T00:00:00Z', 0),
    });
    dirs.push(explicit);
    const r = await statusAt(explicit, '2026-11-02T00:00:00Z');
    // the entry's own parameters (min 5) judge it: 2 tests are too few
    expect(r.parts[0]).toMatchObject({ match: 'explicit', status: 'FAILED', with: { min: 5 } });
  });

  it('a requirement with no parts is MISSING, and a control with nothing counted takes EXCEPTION', async () => {
    const dir = writeTree(tempDir(), base('  active: true\n', '  exceptions:\n    - requirement: req\n      rationale: later\n'));
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const { report } = await evaluate(model, { now: '2026-11-02T00:00:00Z', version: 't' });
    expect(report.products[0].results[0]).toMatchObject({ status: 'EXCEPTION', underlying: 'MISSING' });
    expect(report.products[0].frameworks[0].controls[0].status).toBe('EXCEPTION');
    expect(report.products[0].score).toBeNull();
  });
});

describe('requireSignedEvidence', () => {
  it('evidence and proofs from unsigned commits count as MISSING, with git\'s reason', async () => {
    const { commit, gitInit } = await import('../helpers.ts');
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', {
      ...base('  policies: [{ref: tests-passed}]\n  manual_proofs: [{name: review}]\n', '', 'policies: [{ref: tests-passed}]', '  requireSignedEvidence: true\n'),
      'evidence/p/t.xml': junit('2026-11-01T00:00:00Z', 0),
      'proof.md': '---\nrequirement: req\nproof: review\nproject: p\ndate: 2026-11-01\n---\n',
    });
    const r = await statusAt(dir, '2026-11-02T00:00:00Z');
    expect(r.status).toBe('MISSING');
    expect(r.parts.map((p) => p.status)).toEqual(['MISSING', 'MISSING']);
    expect(r.parts[0].message).toContain('ignored evidence from unsigned commits: evidence/p/t.xml (no signature)');
    expect(r.parts[1].message).toContain('not from a signed commit (no signature)');
  });

  it('an item timestamped after now is ignored with a note', async () => {
    const dir = writeTree(tempDir(), { ...base('  policies: [{ref: tests-passed}]\n'), 'evidence/p/t.xml': junit('2026-12-01T00:00:00Z', 0) });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const { report, diagnostics } = await evaluate(model, { now: '2026-11-02T00:00:00Z', version: 't' });
    expect(report.products[0].results[0].status).toBe('MISSING');
    expect(diagnostics).toContainEqual(expect.objectContaining({ file: 'evidence/p/t.xml', severity: 'note', code: 'evidence-future-timestamp' }));
  });
});

describe('status counts', () => {
  it('start at zero for every status, in the order of the status list (the order reports print them in)', () => {
    expect(Object.entries(emptyCounts())).toEqual(statuses.map((s) => [s, 0]));
  });
});
