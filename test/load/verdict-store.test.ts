// Verdicts cached on disk give the same report as evaluating afresh, and a
// second run takes every built-in verdict from the store.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { VerdictStore } from '../../src/load/verdict-store.ts';
import type { VerdictMemo } from '../../src/evaluate/policy-runner.ts';
import { commit, gitInit, removeDir, repoRoot, tempDir } from '../helpers.ts';

const root = path.join(repoRoot, 'test/fixtures/scenario');
const now = '2026-11-22T00:00:00.000Z';
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('verdict store', () => {
  it('gives the same report from stored verdicts, and a second run evaluates no built-in policy again', async () => {
    const cacheDir = tempDir('evident-verdicts-');
    dirs.push(cacheDir);
    const fresh = await evaluate((await loadModel(root)).model, { now, version: 'test' });
    const first = await loadModel(root, { cacheDir });
    expect(first.verdicts).toBeInstanceOf(VerdictStore);
    const one = await evaluate(first.model, { now, version: 'test', memo: first.verdicts });
    first.verdicts!.flush();
    expect(first.verdicts!.misses).toBeGreaterThan(0);
    const second = await loadModel(root, { cacheDir });
    const two = await evaluate(second.model, { now, version: 'test', memo: second.verdicts });
    expect(second.verdicts!.hits).toBeGreaterThan(0);
    expect(second.verdicts!.misses).toBe(0);
    expect(JSON.stringify(one.report)).toBe(JSON.stringify(fresh.report));
    expect(JSON.stringify(two.report)).toBe(JSON.stringify(fresh.report));
    // A later `now` is a different key for time-dependent verdicts only; the report still matches a fresh one.
    const later = '2027-03-01T00:00:00.000Z';
    const third = await loadModel(root, { cacheDir });
    const three = await evaluate(third.model, { now: later, version: 'test', memo: third.verdicts });
    const freshLater = await evaluate((await loadModel(root)).model, { now: later, version: 'test' });
    expect(JSON.stringify(three.report)).toBe(JSON.stringify(freshLater.report));
  });

  it('keeps the statuses of earlier history points as one entry, which a change to what they read replaces', async () => {
    // Scans at three commits: CVE-A twice, then CVE-B. A VEX added later clears CVE-A at the first two points
    // only, which moves the start of the failure (and so the SLA) without changing the current verdict.
    const dir = tempDir();
    const cacheDir = tempDir('evident-verdicts-');
    dirs.push(dir, cacheDir);
    gitInit(dir);
    const scan = (id: string, timestamp: string) =>
      JSON.stringify({ matches: [{ vulnerability: { id, severity: 'High' }, artifact: { name: 'x', version: '1.0', purl: 'pkg:npm/x@1.0' } }], source: { type: 'directory', target: '/src' }, descriptor: { name: 'grype', version: '0.80.0', timestamp } });
    commit(dir, '2026-10-01T00:00:00Z', {
      'fw.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: fw}\nspec:\n  sections: [{name: S, id: S1, requirements: [{ref: req}]}]\n',
      'req.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: req}\nspec:\n  policies: [{ref: vulnerabilities, sla: 48}]\n',
      'product.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec: {projects: [p], frameworks: [fw]}\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  policies: [{ref: vulnerabilities}]\n',
      'evidence/p/scan.grype.json': scan('CVE-2026-1', '2026-10-01T00:00:00Z'),
    });
    commit(dir, '2026-10-05T00:00:00Z', { 'evidence/p/scan.grype.json': scan('CVE-2026-1', '2026-10-05T00:00:00Z') });
    commit(dir, '2026-10-10T00:00:00Z', { 'evidence/p/scan.grype.json': scan('CVE-2026-2', '2026-10-10T00:00:00Z') });
    const at = '2026-10-11T06:00:00.000Z';
    const part = (r: Awaited<ReturnType<typeof evaluate>>) => r.report.products[0].results[0];
    const cached = async (keys?: string[]) => {
      const { model, verdicts } = await loadModel(dir, { cacheDir });
      const memo: VerdictMemo = { get: (k) => (keys?.push(k), verdicts!.get(k)), set: (k, v) => verdicts!.set(k, v) };
      const out = await evaluate(model, { now: at, version: 'test', memo });
      verdicts!.flush();
      return out;
    };
    const fresh = async () => evaluate((await loadModel(dir)).model, { now: at, version: 'test' });

    const before = await fresh();
    expect(part(before)).toMatchObject({ status: 'FAILED', parts: [{ evaluation: { firstFailure: '2026-10-01T00:00:00.000Z' } }] });
    expect(JSON.stringify((await cached()).report)).toBe(JSON.stringify(before.report));
    const keys: string[] = [];
    expect(JSON.stringify((await cached(keys)).report)).toBe(JSON.stringify(before.report));
    expect(keys.filter((k) => k.startsWith('#past'))).toHaveLength(1); // both earlier points in one lookup
    expect(keys.filter((k) => k.startsWith('#status'))).toEqual([]);

    commit(dir, '2026-10-10T12:00:00Z', {
      'evidence/p/vex.openvex.json': JSON.stringify({ '@context': 'https://openvex.dev/ns', '@id': 'v', author: 'a', timestamp: '2026-09-01T00:00:00Z', statements: [{ vulnerability: 'CVE-2026-1', status: 'not_affected', justification: 'vulnerable_code_not_present' }] }),
    });
    const after = await fresh();
    expect(part(after)).toMatchObject({ status: 'GRACE', parts: [{ evaluation: { firstFailure: '2026-10-10T00:00:00.000Z' } }] });
    expect(JSON.stringify((await cached()).report)).toBe(JSON.stringify(after.report));
  });

  it('persists verdicts by key across instances', async () => {
    const cacheDir = tempDir('evident-verdicts-');
    dirs.push(cacheDir);
    const store = new VerdictStore(cacheDir);
    store.set('k', { status: 'PASSED', violations: [] });
    expect(new VerdictStore(cacheDir).get('k')).toBeUndefined(); // not written before flush
    store.flush();
    expect(new VerdictStore(cacheDir).get('k')).toEqual({ status: 'PASSED', violations: [] });
    expect(new VerdictStore(cacheDir).get('other')).toBeUndefined();
    // One pack per flush, merged into one when there are many. The 24th run merges: it keeps its own verdict
    // and the newest 8 packs' (whichever of the runs written in one millisecond sort last), the 6 runs after it
    // add a pack each.
    for (let i = 0; i < 30; i++) {
      const s = new VerdictStore(cacheDir);
      s.set(`k${i}`, { status: 'FAILED', violations: [`v${i}`] });
      s.flush();
    }
    const packs = readdirSync(store.dir);
    expect(packs.length).toBe(7);
    const fresh = new VerdictStore(cacheDir);
    for (let i = 23; i < 30; i++) expect(fresh.get(`k${i}`)).toEqual({ status: 'FAILED', violations: [`v${i}`] });
    expect(['k', ...Array.from({ length: 30 }, (_, i) => `k${i}`)].filter((k) => fresh.get(k) !== undefined)).toHaveLength(15);
  });

  it('keeps, when it merges, what the merging run used, even from the oldest pack', () => {
    const cacheDir = tempDir('evident-verdicts-');
    dirs.push(cacheDir);
    const first = new VerdictStore(cacheDir);
    first.set('old', { status: 'PASSED', violations: [] });
    first.flush();
    for (const t = Date.now(); Date.now() === t; ); // the next packs are named after a later millisecond
    for (let i = 0; i < 23; i++) {
      const s = new VerdictStore(cacheDir);
      s.set(`k${i}`, { status: 'FAILED', violations: [] });
      s.flush();
    }
    const merging = new VerdictStore(cacheDir);
    expect(merging.get('old')).toEqual({ status: 'PASSED', violations: [] });
    merging.set('new', { status: 'FAILED', violations: [] });
    merging.flush(); // 25 packs: merged into one
    expect(readdirSync(merging.dir)).toHaveLength(1);
    const after = new VerdictStore(cacheDir);
    expect(after.get('old')).toEqual({ status: 'PASSED', violations: [] });
    expect(after.get('new')).toEqual({ status: 'FAILED', violations: [] });
    // Of the 23 runs between them, the 8 newest packs' verdicts stay; the others are gone.
    expect(Array.from({ length: 23 }, (_, i) => `k${i}`).filter((k) => after.get(k) !== undefined)).toHaveLength(8);
  });
});
