// A GitSession shared by the loads of `history`: the log at an older commit is
// derived from the first log read, and must equal what `git log` at that commit gives.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { git, gitToFile, GitSession, openRepo, readHistory, readTree } from '../../src/load/git.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { commit, gitInit, removeDir, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const shas = (dir: string) => execFileSync('git', ['log', '--format=%H', '--', '.'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');

/** Every commit's history through one session, newest first as `history` loads them, next to a fresh `git log`. */
async function compare(dir: string, key = 'no signers') {
  const repo = (await openRepo(dir))!;
  const session = new GitSession(repo);
  const derived = [];
  const direct = [];
  for (const sha of shas(dir)) {
    derived.push(await session.historyAt(repo, sha, key));
    direct.push(await readHistory(repo, sha));
  }
  session.close();
  return { derived, direct };
}

/** A content repo whose history has a merge: a side branch's commit merged into main. */
function mergedRepo(): string {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', { 'a.yaml': 'a: 1\n' });
    execFileSync('git', ['checkout', '-q', '-b', 'side'], { cwd: dir });
    commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/side.json': '{}' });
    execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir });
    commit(dir, '2026-11-03T00:00:00Z', { 'evidence/p/main.json': '{}' });
    execFileSync('git', ['merge', '-q', '--no-ff', '-m', 'merge', 'side'], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-04T00:00:00Z', GIT_COMMITTER_DATE: '2026-11-04T00:00:00Z', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    return dir;
}

describe('GitSession.historyAt', () => {
  it('derives each older commit’s log from the first one in a history without merges', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', { 'a.yaml': 'a: 1\n', 'evidence/p/x.json': '{"v":1}' });
    commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/x.json': '{"v":2}', 'evidence/p/y.json': '{}' });
    commit(dir, '2026-11-03T00:00:00Z', { 'evidence/p/y.json': null });
    commit(dir, '2026-11-04T00:00:00Z', { 'evidence/p/y.json': '{"back":true}', 'a.yaml': 'a: 2\n' });
    commit(dir, '2026-11-05T00:00:00Z', { 'evidence/p/x.json': '{"v":3}' });
    const { derived, direct } = await compare(dir);
    expect(derived).toHaveLength(5);
    expect(derived).toEqual(direct);
    // The re-added file's history starts at its new incarnation at every commit that has it.
    expect(derived[0].files.get('evidence/p/y.json')?.versions).toHaveLength(1);
    expect(derived[4].files.has('evidence/p/y.json')).toBe(false);
  });

  it('falls back to git log per commit when the history has merges', async () => {
    const dir = mergedRepo();
    const { derived, direct } = await compare(dir);
    expect(derived.length).toBeGreaterThanOrEqual(3);
    expect(derived).toEqual(direct);
    // main's own commit does not have the side branch's file, which the rest of the merged log after it would show.
    const onMain = direct.findIndex((h) => h.head?.subject === 'commit at 2026-11-03T00:00:00Z');
    expect(onMain).toBeGreaterThan(0);
    expect(derived[onMain].files.has('evidence/p/side.json')).toBe(false);
    expect(derived[onMain].files.has('evidence/p/main.json')).toBe(true);
  });

  it('reads the log again when the signer settings differ from the first log’s', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', { 'a.yaml': 'a: 1\n' });
    commit(dir, '2026-11-02T00:00:00Z', { 'a.yaml': 'a: 2\n' });
    const repo = (await openRepo(dir))!;
    const [tip, older] = shas(dir);
    const session = new GitSession(repo);
    await session.historyAt(repo, tip, 'signers A');
    // A different verifying environment must be used: a derived log would carry the first one's signature statuses.
    const other = { ...repo, config: ['log.showSignature=false'] };
    const calls: string[] = [];
    const spy = { ...other, get config() { calls.push('read'); return other.config; } };
    const h = await session.historyAt(spy, older, 'signers B');
    expect(calls.length).toBeGreaterThan(0);
    expect(h).toEqual(await readHistory(repo, older));
    session.close();
  });
});

describe('loads through one session (history)', () => {
  const project = (name: string, evidence?: string) => `apiVersion: evident/v1\nkind: Project\nmetadata: {name: ${name}}\nspec: {${evidence ? `evidence: ${evidence}` : ''}}\n`;
  const scan = (t: string) => JSON.stringify({ matches: [], source: { type: 'directory', target: '.' }, descriptor: { name: 'grype', version: '0.80.0', timestamp: t } });

  it('give the models that separate loads give, when a shared file changes owner', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const cacheDir = tempDir();
    dirs.push(cacheDir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', { 'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec: {}\n', 'p.yaml': project('p'), 'evidence/p/sub/scan.json': scan('2026-11-01T00:00:00Z'), 'evidence/p/top.json': scan('2026-11-01T00:00:00Z') });
    // The same files (same blobs, same history); the sub-folder now belongs to q.
    commit(dir, '2026-11-02T00:00:00Z', { 'q.yaml': project('q', 'evidence/p/sub') });
    commit(dir, '2026-11-03T00:00:00Z', { 'evidence/p/top.json': scan('2026-11-03T00:00:00Z') });
    const repo = (await openRepo(dir))!;
    const session = new GitSession(repo);
    for (const sha of shas(dir)) session.known.add(sha);
    const view = (m: Awaited<ReturnType<typeof loadModel>>['model']) => ({
      evidence: m.evidence.map((e) => [e.path, e.project, e.blob, e.timestamp, e.git.last?.sha, e.historical ?? false]),
      earlier: m.evidenceHistory.map((e) => [e.path, e.project, e.blob, e.timestamp, e.git.last?.sha, e.historical ?? false]),
      diagnostics: m.diagnostics,
    });
    const owners: unknown[] = [];
    try {
      // Twice over: the second pass shares every item with the first.
      for (const pass of [1, 2]) {
        for (const sha of shas(dir)) {
          const together = (await loadModel(dir, { at: sha, session, cacheDir })).model;
          const alone = (await loadModel(dir, { at: sha, cacheDir })).model;
          expect(view(together)).toEqual(view(alone));
          if (pass === 2) owners.push(together.evidence.find((e) => e.path === 'evidence/p/sub/scan.json')?.project);
        }
      }
    } finally {
      session.close();
    }
    expect(owners).toEqual(['q', 'q', 'p']);
  });
});

describe('gitToFile', () => {
  it('gives what git prints, larger than a pipe holds, and says why git failed; it leaves no file behind', async () => {
    const dir = tempDir();
    gitInit(dir);
    // A commit whose raw log is well over 64 KB.
    commit(dir, '2026-01-02T00:00:00Z', Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`evidence/p/f${i}.txt`, `${i}\n`])));
    const repo = { top: dir, config: [], env: process.env };
    const args = ['log', '--raw', '--no-abbrev', '-z', '--format=%H'];
    const tmp = tempDir();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it on each call
    try {
      const out = await gitToFile(repo, args);
      expect(out.length).toBeGreaterThan(100_000);
      expect(out).toBe(await git(repo, args));
      await expect(gitToFile(repo, ['log', 'no-such-revision'])).rejects.toThrow(/git log failed: .*no-such-revision/);
      expect(readdirSync(tmp)).toEqual([]);
      process.env.TMPDIR = `${tmp}/missing`; // no temporary folder: the same output through a pipe
      expect(await gitToFile(repo, args)).toBe(out);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      removeDir(dir);
      removeDir(tmp);
    }
  });
});

describe('GitSession.tree', () => {
  /** Every commit's tree through one session, loaded as `history` does (tree, log, then the next tree read ahead), next to `git ls-tree`. */
  async function trees(root: string) {
    const repo = (await openRepo(root))!;
    const session = new GitSession(repo);
    const list = shas(root);
    const derived = [];
    const direct = [];
    for (const [i, sha] of list.entries()) {
      derived.push(await session.tree(sha));
      await session.historyAt(repo, sha, 'no signers');
      if (i + 1 < list.length) session.prefetchTree(list[i + 1]!);
      direct.push(await readTree(repo, sha));
    }
    const listed = session.treesListed;
    session.close();
    return { derived, direct, listed };
  }

  it('derives each older commit’s tree from the newer one with its changes undone, as git lists it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    const root = path.join(dir, 'content'); // the content root in a subfolder: changes outside it do not count
    commit(dir, '2026-11-01T00:00:00Z', { 'content/a.yaml': 'a: 1\n', 'content/evidence/p/x.json': '{"v":1}', 'outside.txt': '1' });
    commit(dir, '2026-11-02T00:00:00Z', { 'content/evidence/p/x.json': '{"v":22}', 'content/evidence/p/y.json': '{}', 'outside.txt': '2' });
    symlinkSync('a.yaml', path.join(root, 'link.yaml'));
    chmodSync(path.join(root, 'a.yaml'), 0o755);
    commit(dir, '2026-11-03T00:00:00Z', { 'content/evidence/p/y.json': null });
    commit(dir, '2026-11-04T00:00:00Z', { 'content/evidence/p/y.json': '{"back":true}', 'content/evidence/q/new.json': '[1, 2, 3]' });
    renameSync(path.join(root, 'evidence/q/new.json'), path.join(root, 'evidence/q/renamed.json'));
    commit(dir, '2026-11-05T00:00:00Z', { 'outside.txt': '3' });
    commit(dir, '2026-11-06T00:00:00Z', { 'content/evidence/p/x.json': '{"v":333}', 'content/link.yaml': null });
    const { derived, direct, listed } = await trees(root);
    expect(derived).toHaveLength(6);
    expect(derived).toEqual(direct);
    expect(direct[5]!.get('evidence/p/x.json')!.size).toBe(7);
    expect(direct[3]!.get('link.yaml')!.mode).toBe('120000');
    // git listed the first tree and the second (read ahead before the log was known to have no merges); the rest were derived.
    expect(listed).toBe(2);
  });

  it('lists the tree when a size cannot be had, and goes on deriving after it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    for (let i = 1; i <= 5; i++) commit(dir, `2026-11-0${i}T00:00:00Z`, { 'evidence/p/x.json': `{"v":${i}}`, [`evidence/p/f${i}.json`]: '{}' });
    const repo = (await openRepo(dir))!;
    const session = new GitSession(repo);
    const list = shas(dir);
    // The third tree's sizes fail (as with a git that ended); the reader is then replaced by a working one.
    const held = session as unknown as { sizer: { size(blob: string): Promise<number | undefined>; close(): void } | undefined };
    const failing = { size: () => Promise.reject(new Error('git cat-file exited')), close: () => {} };
    const trees = [];
    for (const [i, sha] of list.entries()) {
      trees.push(await session.tree(sha));
      if (i === 2) held.sizer = undefined;
      await session.historyAt(repo, sha, 'no signers');
      if (i === 1) held.sizer = failing;
      if (i + 1 < list.length) session.prefetchTree(list[i + 1]!);
    }
    const listed = session.treesListed;
    session.close();
    for (const [i, sha] of list.entries()) expect(trees[i]).toEqual(await readTree(repo, sha));
    // Listed: the first two (see above) and the one whose sizes failed; the last two were derived.
    expect(listed).toBe(3);
  });

  it('lists every tree when the history has merges', async () => {
    const dir = mergedRepo();
    const { derived, direct, listed } = await trees(dir);
    expect(derived).toEqual(direct);
    expect(listed).toBe(derived.length);
  });
});

describe('blob requests', () => {
  it('answers every read asked in one turn, in order, also when the reader is closed in that turn', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`evidence/p/f${i}.json`, `{"n": ${i}}\n`]));
    commit(dir, '2026-11-01T00:00:00Z', files);
    const repo = (await openRepo(dir))!;
    const blobs = Object.keys(files).map((f) => execFileSync('git', ['rev-parse', `HEAD:${f}`], { cwd: dir, encoding: 'utf8' }).trim());
    const { BlobReader } = await import('../../src/load/git.ts');
    const reader = new BlobReader(repo);
    const reads = [...blobs.map((b) => reader.read(b)), reader.read('0'.repeat(40))];
    reader.close(); // the same turn: the requests still reach git before its input ends
    const got = await Promise.all(reads);
    expect(got.slice(0, -1).map((b) => b?.toString())).toEqual(Object.values(files));
    expect(got.at(-1)).toBeUndefined(); // a missing object
  });

  it('drops the bytes of a blob over the limit as they arrive, and the blobs around it come back whole', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    // Small and large blobs, some over the limit: a large one spans many pipe chunks, a small one shares a chunk.
    const sizes = [10, 3_000_000, 20, 1_500, 700_000, 5, 2_500_000, 900];
    const files = Object.fromEntries(sizes.map((n, i) => [`evidence/p/f${i}.txt`, String.fromCharCode(97 + i).repeat(n)]));
    commit(dir, '2026-11-01T00:00:00Z', files);
    const repo = (await openRepo(dir))!;
    const blobs = Object.keys(files).map((f) => execFileSync('git', ['rev-parse', `HEAD:${f}`], { cwd: dir, encoding: 'utf8' }).trim());
    const { BlobReader } = await import('../../src/load/git.ts');
    const reader = new BlobReader(repo);
    const limit = 1_000;
    const reads = blobs.flatMap((b, i) => [reader.readWithin(b, limit), ...(i === 3 ? [reader.readWithin('0'.repeat(40), limit)] : [])]);
    const again = reader.read(blobs[1]!); // no limit: the same large blob whole
    const got = await Promise.all(reads);
    const whole = await again;
    reader.close();
    const view = got.map((b) => (b === undefined ? 'missing' : b.bytes ? `${b.size}:${b.bytes.toString() === Object.values(files)[Object.values(files).findIndex((t) => t.length === b.size)]}` : `${b.size}:dropped`));
    expect(view).toEqual(['10:true', '3000000:dropped', '20:true', '1500:dropped', 'missing', '700000:dropped', '5:true', '2500000:dropped', '900:true']);
    expect(whole?.length).toBe(3_000_000);
    expect(whole?.every((c) => c === 98)).toBe(true);
  });
});
