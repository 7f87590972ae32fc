// Parsing on worker threads gives exactly what parsing on the main thread gives.
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/load/load-model.ts';
import { commit, gitInit, removeDir, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const junit = (i: number, failures: number) => `<testsuite name="s${i}" tests="3" failures="${failures}" timestamp="2026-11-0${1 + (i % 9)}T00:00:00Z"><testcase name="a"/><testcase name="b"/><testcase name="c">${failures ? '<failure message="x"/>' : ''}</testcase></testsuite>\n`;
const grype = (i: number) => JSON.stringify({ matches: [{ vulnerability: { id: `CVE-2026-${1000 + i}`, severity: i % 2 ? 'High' : 'Low' }, artifact: { name: `lib${i}`, version: '1.0.0', type: 'npm', purl: `pkg:npm/lib${i}@1.0.0` } }], source: { type: 'directory', target: '.' }, descriptor: { name: 'grype', version: '0.80.0', timestamp: '2026-11-02T00:00:00Z' } });

describe('parse pool', () => {
  it('loads the same model with and without worker threads, current files and earlier git versions', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    const first: Record<string, string> = { 'p.yaml': 'apiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec: {}\n' };
    for (let i = 0; i < 80; i++) first[`evidence/p/s${i % 4}/t${i}.xml`] = junit(i, 0);
    commit(dir, '2026-11-01T00:00:00Z', first);
    const second: Record<string, string> = {};
    for (let i = 0; i < 80; i++) second[`evidence/p/s${i % 4}/t${i}.xml`] = junit(i, 1);
    for (let i = 0; i < 10; i++) second[`evidence/p/scans/g${i}.json`] = grype(i);
    second['evidence/p/broken.json'] = '{"truncated": ';
    commit(dir, '2026-11-03T00:00:00Z', second);
    const pooled = (await loadModel(dir, { threads: 2 })).model;
    const single = (await loadModel(dir, { threads: 1 })).model;
    const view = (m: typeof pooled) => ({
      evidence: m.evidence.map((e) => ({ path: e.path, kind: e.kind, sha256: e.sha256, blob: e.blob, timestamp: e.timestamp, data: e.data, broken: e.broken })),
      history: m.evidenceHistory.map((e) => ({ path: e.path, sha256: e.sha256, blob: e.blob, timestamp: e.timestamp, data: e.data })),
      diagnostics: m.diagnostics,
    });
    expect(pooled.evidence).toHaveLength(91);
    expect(pooled.evidenceHistory).toHaveLength(80);
    expect(view(pooled)).toEqual(view(single));
    expect(pooled.diagnostics).toContainEqual(expect.objectContaining({ file: 'evidence/p/broken.json', code: 'evidence-parse-error' }));
  });
});
