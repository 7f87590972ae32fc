// Parsing on worker threads gives exactly what parsing on the main thread gives.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readEvidence } from '../../src/evidence/read.ts';
import { EvidenceCache } from '../../src/load/evidence-cache.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { ParsePool } from '../../src/load/parse-pool.ts';
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
    const single = (await loadModel(dir, { threads: 1 })).model;
    // Two workers without a cache: current files and earlier versions come back whole.
    const pooled = (await loadModel(dir, { threads: 3 })).model;
    // One worker with a cache: it parses earlier versions into a pack of its own while this thread reads the
    // current files, then this thread takes the rest from the end; however they split, the model is the same.
    const cacheDir = tempDir();
    dirs.push(cacheDir);
    const cold = (await loadModel(dir, { threads: 2, cacheDir })).model;
    const warm = (await loadModel(dir, { threads: 2, cacheDir })).model;
    const view = (m: typeof pooled) => ({
      evidence: m.evidence.map((e) => ({ path: e.path, kind: e.kind, sha256: e.sha256, blob: e.blob, timestamp: e.timestamp, data: e.data, broken: e.broken })),
      history: m.evidenceHistory.map((e) => ({ path: e.path, sha256: e.sha256, blob: e.blob, timestamp: e.timestamp, data: e.data })),
      diagnostics: m.diagnostics,
    });
    expect(pooled.evidence).toHaveLength(91);
    expect(pooled.evidenceHistory).toHaveLength(80);
    expect(view(pooled)).toEqual(view(single));
    expect(view(cold)).toEqual(view(single));
    expect(view(warm)).toEqual(view(single));
    expect(pooled.diagnostics).toContainEqual(expect.objectContaining({ file: 'evidence/p/broken.json', code: 'evidence-parse-error' }));
  });
});

describe('earlier versions over the size limit', () => {
  it('are never read, on any thread, and each is reported once: the model is the same however the work is split', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    // Every eighth file's first version is padded past the limit; the current versions are all small.
    const padded = (i: number) => junit(i, 0).replace('</testsuite>', `<system-out>${'x'.repeat(3000)}</system-out></testsuite>`);
    const first: Record<string, string> = { 'p.yaml': 'apiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec: {}\n' };
    for (let i = 0; i < 80; i++) first[`evidence/p/s${i % 4}/t${i}.xml`] = i % 8 === 0 ? padded(i) : junit(i, 0);
    commit(dir, '2026-11-01T00:00:00Z', first);
    const second: Record<string, string> = {};
    for (let i = 0; i < 80; i++) second[`evidence/p/s${i % 4}/t${i}.xml`] = junit(i, 1);
    commit(dir, '2026-11-03T00:00:00Z', second);
    const maxFileBytes = 2000;
    const cacheDir = tempDir();
    dirs.push(cacheDir);
    const loads = {
      single: (await loadModel(dir, { threads: 1, maxFileBytes })).model,
      pooled: (await loadModel(dir, { threads: 3, maxFileBytes })).model,
      cold: (await loadModel(dir, { threads: 2, maxFileBytes, cacheDir })).model,
      warm: (await loadModel(dir, { threads: 2, maxFileBytes, cacheDir })).model,
    };
    const oversized = Array.from({ length: 10 }, (_, k) => `evidence/p/s0/t${k * 8}.xml`).sort();
    for (const model of Object.values(loads)) {
      expect(model.evidence).toHaveLength(80);
      expect(model.evidenceHistory).toHaveLength(70);
      expect(model.evidenceHistory.map((e) => e.path)).not.toContain(oversized[0]);
      const warnings = model.diagnostics.filter((d) => d.code === 'file-too-large');
      expect(warnings.map((d) => d.file).sort()).toEqual(oversized);
      expect(warnings[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^An earlier version of this file \(blob [0-9a-f]{12}, 3\d{3} bytes\) is over the limit of 2000; it is not read/) });
      expect(model.diagnostics).toEqual(loads.single.diagnostics);
    }
    // Nothing was cached for them: the limit holds for later runs too.
    const cache = new EvidenceCache(cacheDir);
    expect(cache.size()).toBe(80 + 70);
  });
});

describe('parse pool with a cache', () => {
  const setup = () => {
    const dir = tempDir();
    const cacheDir = tempDir();
    dirs.push(dir, cacheDir);
    const jobs = Array.from({ length: 40 }, (_, i) => {
      const rel = `evidence/t${i}.${i % 2 ? 'xml' : 'json'}`;
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), i % 2 ? junit(i, i % 3) : grype(i));
      return { key: rel, path: rel, abs: path.join(dir, rel) };
    });
    return { dir, cacheDir, jobs };
  };

  it('keeps payloads in the worker\'s pack: the cache serves what this thread would have read, in this process and the next', async () => {
    const { cacheDir, jobs } = setup();
    const cache = new EvidenceCache(cacheDir);
    const pool = new ParsePool(1, { keepJson: [], cacheDir, maxFileBytes: 50 << 20 }, cache);
    const results = await pool.start(jobs).results;
    await pool.close();
    expect([...results.keys()].sort()).toEqual(jobs.map((j) => j.key).sort());
    const packs = readdirSync(cache.dir).filter((n) => n.endsWith('.idx.json'));
    expect(packs).toHaveLength(1);
    const fresh = new EvidenceCache(cacheDir); // same process: the adopted entries
    for (const job of jobs) {
      const parsed = results.get(job.key)!;
      const bytes = readFileSync(job.abs);
      const expected = readEvidence(job.path, bytes, { keepJson: true });
      expect(parsed.result).toBeUndefined();
      expect(parsed.stored).toBeDefined();
      expect(parsed.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(cache.meta(parsed.blob, job.path)).toMatchObject({ kind: expected.kind, sha256: parsed.sha256 });
      expect(cache.payload(parsed.blob, job.path)!.data).toEqual(JSON.parse(JSON.stringify(expected.data)));
      expect(fresh.payload(parsed.blob, job.path)!.data).toEqual(cache.payload(parsed.blob, job.path)!.data);
    }
    // The pack's index on disk, as a later run reads it.
    const index = JSON.parse(readFileSync(path.join(cache.dir, packs[0]!), 'utf8')) as Record<string, { meta: { sha256: string } }>;
    expect(Object.keys(index)).toHaveLength(jobs.length);
  });

  it('splits the jobs between the workers and a thread that steals from the end, each job once', async () => {
    const { cacheDir, jobs } = setup();
    const pool = new ParsePool(1, { keepJson: [], cacheDir, maxFileBytes: 50 << 20 }, new EvidenceCache(cacheDir));
    const batch = pool.start(jobs);
    const stolen: string[] = [];
    for (let job; (job = batch.steal()); ) stolen.push(job.key);
    const results = await batch.results;
    await pool.close();
    expect(stolen).toEqual(jobs.slice(jobs.length - stolen.length).map((j) => j.key).reverse());
    expect([...results.keys()].sort()).toEqual(jobs.slice(0, jobs.length - stolen.length).map((j) => j.key).sort());
    expect(batch.steal()).toBeUndefined();
  });

  it('an abandoned pool ends its workers: the batch resolves, no pack is indexed, and closing after it returns at once', async () => {
    const { cacheDir, jobs } = setup();
    const cache = new EvidenceCache(cacheDir);
    const pool = new ParsePool(1, { keepJson: [], cacheDir, maxFileBytes: 50 << 20 }, cache);
    const batch = pool.start(jobs);
    const [worker] = (pool as unknown as { workers: Worker[] }).workers;
    pool.abandon();
    await vi.waitFor(() => expect(worker!.threadId).toBe(-1)); // the thread has ended
    const results = await batch.results; // its exit settled every job it had not answered
    expect(results.size).toBeLessThanOrEqual(jobs.length);
    await pool.close();
    let indexes: string[] = [];
    try {
      indexes = readdirSync(cache.dir).filter((n) => n.endsWith('.idx.json'));
    } catch {
      /* no folder: nothing was written */
    }
    expect(indexes).toEqual([]);
  });
});

describe('a worker started before the git pass (a cold cache)', () => {
  it('loads the same model when the earlier versions are too few to hand it any job, and the load ends', async () => {
    const dir = tempDir();
    const cacheDir = tempDir();
    dirs.push(dir, cacheDir);
    gitInit(dir);
    // 70 evidence files (over the pool's threshold of 64) and a single commit: no earlier versions.
    const files: Record<string, string> = { 'p.yaml': 'apiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec: {}\n' };
    for (let i = 0; i < 70; i++) files[`evidence/p/s${i % 5}/t${i}.xml`] = junit(i, i % 2);
    commit(dir, '2026-11-01T00:00:00Z', files);
    const single = (await loadModel(dir, { threads: 1 })).model;
    const cache = new EvidenceCache(cacheDir);
    expect(cache.size()).toBe(0);
    const cold = (await loadModel(dir, { threads: 2, cacheDir })).model;
    expect(new EvidenceCache(cacheDir).size()).toBe(70); // every reading cached by this thread, none by the idle worker
    const view = (m: typeof single) => ({ evidence: m.evidence.map((e) => ({ path: e.path, kind: e.kind, sha256: e.sha256, data: e.data })), diagnostics: m.diagnostics });
    expect(view(cold)).toEqual(view(single));
  });
});
