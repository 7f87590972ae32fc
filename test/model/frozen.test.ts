// The model is frozen all the way down (except the evidence payloads, read-only
// by convention), in a first load and in a second one that shares cached
// readings, catalogs and commits with the first.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/load/load-model.ts';
import { removeDir, repoRoot, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Paths of objects in `value` that are not frozen, skipping `data` and `json`. */
function unfrozen(value: unknown, at = 'model', seen = new Set<object>(), out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (!Object.isFrozen(value)) out.push(at);
  for (const [k, v] of Object.entries(value)) if (k !== 'data' && k !== 'json') unfrozen(v, `${at}.${k}`, seen, out);
  return out;
}

describe('model', () => {
  it('is deeply frozen, loaded once and loaded again with a cache', async () => {
    const cacheDir = tempDir('evident-frozen-');
    dirs.push(cacheDir);
    for (const root of [path.join(repoRoot, 'test/fixtures/scenario'), path.join(repoRoot, 'examples/acme')]) {
      for (let i = 0; i < 2; i++) {
        const { model } = await loadModel(root, { cacheDir });
        expect(model.evidence.length).toBeGreaterThan(0);
        expect(unfrozen(model).slice(0, 5)).toEqual([]);
      }
    }
  });
});
