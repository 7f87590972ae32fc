// `history` keeps each commit's scores in the cache folder and, on the next
// run, neither loads nor evaluates a commit whose key it has seen.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { historyRows, type HistoryRow } from '../../src/cli/commands/history.ts';
import { CommitScores, keptCommits } from '../../src/load/commit-scores.ts';
import { commitKey } from '../../src/load/load-content.ts';
import type { GitRepo } from '../../src/load/git.ts';
import type { CommitInfo } from '../../src/model/types.ts';
import { commit, gitInit, removeDir, tempDir } from '../helpers.ts';
import { grype, resources as withSla } from './scan-fixture.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const temp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

// Without an SLA: a HIGH finding fails at once, so the commits' scores differ.
const resources = { ...withSla, 'req.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: req}\nspec:\n  policies: [{ref: vulnerabilities, with: {severity: HIGH}}]\n' };

/** The stored scores, each commit's product score replaced by `score`: what a run that reuses them reports. */
function overwriteStored(cacheDir: string, score: number): number {
  const file = new CommitScores(cacheDir).file;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, HistoryRow['products']>;
  for (const products of Object.values(stored)) products[0].score = score;
  writeFileSync(file, JSON.stringify(stored));
  return Object.keys(stored).length;
}

const scoresOf = (rows: HistoryRow[]) => rows.map((r) => r.products[0].score);

describe('history reuses the scores of the commits it evaluated before', () => {
  const dir = temp();
  gitInit(dir);
  const c1 = commit(dir, '2026-11-01T00:00:00Z', { ...resources, 'evidence/p/scan.json': grype('2026-11-01T00:00:00Z', null) });
  const c2 = commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/scan.json': grype('2026-11-02T00:00:00Z', 'Critical') });

  it('stores each commit, then neither loads nor evaluates it again; a new commit alone is evaluated', async () => {
    const cacheDir = temp();
    const first = await historyRows(dir, { max: 50, cacheDir });
    expect(first.map((r) => r.sha)).toEqual([c2, c1]);
    expect(scoresOf(first)).toEqual([0, 1]);
    // A score no evaluation gives shows that the stored one was used.
    expect(overwriteStored(cacheDir, 0.5)).toBe(2);
    const again = await historyRows(dir, { max: 50, cacheDir });
    expect(again.map((r) => r.sha)).toEqual([c2, c1]);
    expect(scoresOf(again)).toEqual([0.5, 0.5]);
    expect(scoresOf(await historyRows(dir, { max: 50, cacheDir, scores: false }))).toEqual([0, 1]);

    const c3 = commit(dir, '2026-11-03T00:00:00Z', { 'evidence/p/scan.json': grype('2026-11-03T00:00:00Z', null) });
    const next = await historyRows(dir, { max: 50, cacheDir });
    expect(next.map((r) => r.sha)).toEqual([c3, c2, c1]);
    expect(scoresOf(next)).toEqual([1, 0.5, 0.5]);
    expect(Object.keys(JSON.parse(readFileSync(new CommitScores(cacheDir).file, 'utf8')))).toHaveLength(3);
  });

  it('a shallow clone of the same commit is evaluated again (its log, and so its dates, differ)', async () => {
    const cacheDir = temp();
    await historyRows(dir, { max: 1, cacheDir });
    overwriteStored(cacheDir, 0.5);
    const shallow = temp();
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, shallow]);
    const rows = await historyRows(shallow, { max: 1, cacheDir });
    expect(rows).toHaveLength(1);
    expect(rows[0].products[0].score).not.toBe(0.5);
    expect(scoresOf(await historyRows(dir, { max: 1, cacheDir }))).toEqual([0.5]); // the full clone still reuses its own
  });

  it('without a cache folder every commit is evaluated', async () => {
    expect(scoresOf(await historyRows(dir, { max: 2 }))).toHaveLength(2);
  });
});

describe('commitKey', () => {
  const repo: GitRepo = { top: '/r', prefix: '', shallow: false, shallowBoundary: new Set(), config: [], env: {} };
  const info = (signed: boolean): CommitInfo => ({ sha: 'a'.repeat(40), date: '2026-11-01T00:00:00.000Z', author: 'A', authorEmail: 'a@example.org', subject: 's', signature: signed ? { status: 'G', signed: true, signer: 'a@example.org', key: 'k' } : { status: 'N', signed: false, reason: 'no signature' } }) as CommitInfo;
  const key = commitKey(repo, 'a'.repeat(40), [info(true)], {});

  it('is the same for the same commit read the same way', () => {
    expect(commitKey({ ...repo, top: '/elsewhere' }, 'a'.repeat(40), [info(true)], { threads: 1, cacheDir: '/c' })).toBe(key);
  });

  it('changes with the commit, a signature that no longer checks out, the content root, the clone depth and what is read', () => {
    const others = [
      commitKey(repo, 'b'.repeat(40), [info(true)], {}),
      commitKey(repo, 'a'.repeat(40), [info(false)], {}),
      commitKey({ ...repo, prefix: 'content/' }, 'a'.repeat(40), [info(true)], {}),
      commitKey({ ...repo, shallow: true, shallowBoundary: new Set(['c'.repeat(40)]) }, 'a'.repeat(40), [info(true)], {}),
      commitKey(repo, 'a'.repeat(40), [info(true)], { maxVersions: 5 }),
      commitKey(repo, 'a'.repeat(40), [info(true)], { history: false }),
      commitKey(repo, 'a'.repeat(40), [info(true)], { keepJsonFor: 'all' }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });
});

describe('CommitScores', () => {
  it('keeps this run’s commits first, then the newest on disk, up to keptCommits', () => {
    const cacheDir = temp();
    const earlier = new CommitScores<number>(cacheDir);
    for (let i = 0; i < keptCommits; i++) earlier.set(`old${i}`, i);
    earlier.flush();
    const run = new CommitScores<number>(cacheDir);
    expect(run.get(`old${keptCommits - 1}`)).toBe(keptCommits - 1); // used: kept although written first
    run.set('new', -1);
    run.flush();
    const stored = Object.keys(JSON.parse(readFileSync(run.file, 'utf8')));
    expect(stored).toHaveLength(keptCommits);
    expect(stored.slice(0, 2)).toEqual([`old${keptCommits - 1}`, 'new']);
    expect(stored).toContain('old0');
    expect(stored).not.toContain(`old${keptCommits - 2}`);
    expect(new CommitScores<number>(cacheDir).get('new')).toBe(-1);
  });

  it('an unreadable file is an empty store', () => {
    const cacheDir = temp();
    const store = new CommitScores<number>(cacheDir);
    store.set('a', 1);
    store.flush();
    writeFileSync(store.file, '{not json');
    expect(new CommitScores<number>(cacheDir).has('a')).toBe(false);
  });
});
