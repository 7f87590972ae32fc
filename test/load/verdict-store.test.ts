// Verdicts cached on disk give the same report as evaluating afresh, and a
// second run takes every built-in verdict from the store.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { VerdictStore } from '../../src/load/verdict-store.ts';
import { removeDir, repoRoot, tempDir } from '../helpers.ts';

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

  it('persists verdicts by key across instances', async () => {
    const cacheDir = tempDir('evident-verdicts-');
    dirs.push(cacheDir);
    const store = new VerdictStore(cacheDir);
    store.set('k', { status: 'PASSED', violations: [] });
    expect(new VerdictStore(cacheDir).get('k')).toBeUndefined(); // not written before flush
    store.flush();
    expect(new VerdictStore(cacheDir).get('k')).toEqual({ status: 'PASSED', violations: [] });
    expect(new VerdictStore(cacheDir).get('other')).toBeUndefined();
    // One pack per flush, merged into one when there are many.
    for (let i = 0; i < 30; i++) {
      const s = new VerdictStore(cacheDir);
      s.set(`k${i}`, { status: 'FAILED', violations: [`v${i}`] });
      s.flush();
    }
    const packs = readdirSync(store.dir);
    expect(packs.length).toBeLessThanOrEqual(24);
    const fresh = new VerdictStore(cacheDir);
    expect(fresh.get('k')).toEqual({ status: 'PASSED', violations: [] });
    for (let i = 0; i < 30; i++) expect(fresh.get(`k${i}`)).toEqual({ status: 'FAILED', violations: [`v${i}`] });
  });
});
