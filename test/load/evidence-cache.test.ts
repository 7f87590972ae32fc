// The blob cache and lazy payloads change how fast evidence is read, never
// what is read: cold, warm, uncached and memory-starved loads give the same model.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EvidenceCache } from '../../src/load/evidence-cache.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { payloadMemory } from '../../src/load/payloads.ts';
import { commit, gitInit, removeDir, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const budget = payloadMemory.budget;
afterEach(() => {
  payloadMemory.budget = budget;
});

const grype = (i: number, id: string) => JSON.stringify({ matches: [{ vulnerability: { id, severity: 'High' }, artifact: { name: `lib${i}`, version: '1.0.0', type: 'npm', purl: `pkg:npm/lib${i}@1.0.0` } }], source: { type: 'directory', target: '.' }, descriptor: { name: 'grype', version: '0.80.0', timestamp: `2026-11-0${i}T00:00:00Z` } });
const junit = (failures: number) => `<testsuite name="s" tests="2" failures="${failures}" timestamp="2026-11-02T00:00:00Z"><testcase name="a"/><testcase name="b">${failures ? '<failure message="x"/>' : ''}</testcase></testsuite>\n`;

function repo(): string {
  const dir = tempDir();
  dirs.push(dir);
  gitInit(dir);
  commit(dir, '2026-11-01T00:00:00Z', { 'p.yaml': 'apiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec: {}\n', 'evidence/p/scan/grype.json': grype(1, 'CVE-2026-0001'), 'evidence/p/tests/junit.xml': junit(1) });
  commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/scan/grype.json': grype(2, 'CVE-2026-0002'), 'evidence/p/tests/junit.xml': junit(0) });
  // Uncommitted: a changed file and a new one.
  writeFileSync(path.join(dir, 'evidence/p/tests/junit.xml'), junit(1));
  writeFileSync(path.join(dir, 'evidence/p/scan/trivy-untracked.json'), grype(3, 'CVE-2026-0003'));
  return dir;
}

type Model = Awaited<ReturnType<typeof loadModel>>['model'];
const view = (m: Model) => ({
  evidence: m.evidence.map((e) => ({ path: e.path, kind: e.kind, sha256: e.sha256, blob: e.blob, timestamp: e.timestamp, dirty: e.git.dirty, data: e.data, broken: e.broken })),
  history: m.evidenceHistory.map((e) => ({ path: e.path, blob: e.blob, timestamp: e.timestamp, data: e.data })),
  dirty: m.git.dirty,
  diagnostics: m.diagnostics,
});

describe('evidence cache', () => {
  it('gives the same model cold, warm and without a cache; clean files come from the cache lazily', async () => {
    const dir = repo();
    const cacheDir = tempDir('evident-cache-');
    dirs.push(cacheDir);
    const uncached = (await loadModel(dir)).model;
    const cold = (await loadModel(dir, { cacheDir })).model;
    const warm = (await loadModel(dir, { cacheDir })).model;
    expect(uncached.evidence).toHaveLength(3);
    expect(uncached.evidenceHistory).toHaveLength(2);
    expect(uncached.git.dirty).toBe(true);
    expect(view(cold)).toEqual(view(uncached));
    expect(view(warm)).toEqual(view(uncached));
    // The working copy's change is what is read, not the committed version.
    const tests = warm.evidence.find((e) => e.path === 'evidence/p/tests/junit.xml')!;
    expect(tests.git.dirty).toBe(true);
    expect(tests.data.tests?.failures).toBe(1);
    // Payloads without a JSON document for declarative policies are served lazily.
    // (a getter shared by all lazy items, so they keep one shape; it serialises like a field).
    expect(Object.hasOwn(warm.evidence[0], 'data')).toBe(false);
    expect(warm.evidence[0].data).toEqual(uncached.evidence[0].data);
    expect(JSON.parse(JSON.stringify(warm.evidence[0]))).toEqual(JSON.parse(JSON.stringify(uncached.evidence[0])));
    expect(Object.getOwnPropertyDescriptor(uncached.evidence[0], 'data')?.get).toBeUndefined();
  });

  it('reads payloads again from the cache, or from git when the cache was cleaned meanwhile', async () => {
    const dir = repo();
    const cacheDir = tempDir('evident-cache-');
    dirs.push(cacheDir);
    const expected = view((await loadModel(dir)).model);
    payloadMemory.budget = 1; // hold one payload at a time
    const starved = (await loadModel(dir, { cacheDir })).model;
    expect(view(starved)).toEqual(expected);
    // Empty every cached payload: the data comes back from git objects and the work tree.
    const cleaned = (await loadModel(dir, { cacheDir })).model;
    let emptied = 0;
    for (const sub of readdirSync(cacheDir, { recursive: true, withFileTypes: true })) {
      if (sub.isFile() && sub.name.endsWith('.dat')) {
        writeFileSync(path.join(sub.parentPath, sub.name), '');
        emptied++;
      }
    }
    expect(emptied).toBeGreaterThan(0);
    expect(view(cleaned)).toEqual(expected);
  });

  it('writes one pack per run, merges many packs into one, and keeps every entry readable', () => {
    const cacheDir = tempDir('evident-cache-');
    dirs.push(cacheDir);
    const reading = (i: number) => ({ kind: 'junit' as const, data: { tests: { suites: [], cases: [], total: i, passed: i, failures: 0, errors: 0, skipped: 0 } } as never, problems: [] });
    for (let i = 0; i < 30; i++) {
      const cache = new EvidenceCache(cacheDir);
      cache.set(`blob${i}`, `evidence/p/t${i}.xml`, reading(i), `sha${i}`);
      expect(cache.meta(`blob${i}`, `evidence/p/t${i}.xml`)?.sha256).toBe(`sha${i}`); // visible before the pack is ended
      cache.flush();
    }
    const cache = new EvidenceCache(cacheDir);
    expect(readdirSync(cache.dir).filter((n) => n.endsWith('.idx.json')).length).toBeLessThanOrEqual(24);
    for (let i = 0; i < 30; i++) {
      expect(cache.meta(`blob${i}`, `evidence/p/t${i}.xml`)).toMatchObject({ kind: 'junit', sha256: `sha${i}`, facets: { tests: 1 } });
      expect(cache.payload(`blob${i}`, `evidence/p/t${i}.xml`)?.data).toEqual(reading(i).data);
    }
    expect(cache.meta('blob0', 'evidence/p/other-name.xml')).toBeUndefined(); // the file name is part of the key
  });
});
