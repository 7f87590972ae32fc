// Git-driven audits: earlier versions of an evidence path are earlier runs,
// --at reads a commit's objects, signatures and dates come from one git pass.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { cli, commit, gitInit, removeDir, tempDir, writeTree } from '../helpers.ts';
import { grype, resources } from './scan-fixture.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('evidence history from git', () => {
  const dir = tempDir();
  dirs.push(dir);
  gitInit(dir);
  const c1 = commit(dir, '2026-11-01T00:00:00Z', { ...resources, 'evidence/p/scan.json': grype('2026-11-01T00:00:00Z', null) });
  const c2 = commit(dir, '2026-11-02T00:00:00Z', { 'evidence/p/scan.json': grype('2026-11-02T00:00:00Z', 'High') });
  const c3 = commit(dir, '2026-11-03T00:00:00Z', { 'evidence/p/scan.json': grype('2026-11-03T00:00:00Z', 'Critical') });

  it('reads earlier versions of the same path as earlier runs', async () => {
    const { model } = await loadModel(dir);
    expect(model.evidence).toHaveLength(1);
    expect(model.evidenceHistory.map((h) => `${h.git.last?.sha.slice(0, 7)} ${h.timestamp}`)).toEqual([`${c1.slice(0, 7)} 2026-11-01T00:00:00.000Z`, `${c2.slice(0, 7)} 2026-11-02T00:00:00.000Z`]);
    expect(model.evidence[0].git.last?.sha).toBe(c3);
    expect(model.evidence[0].git.added?.sha).toBe(c1);
    expect(model.evidence[0].git.last?.signature).toMatchObject({ status: 'N', signed: false, reason: 'no signature' });
  });

  it('takes the first failure from the earliest failing version (GRACE, then FAILED)', async () => {
    const { model } = await loadModel(dir);
    const grace = (await evaluate(model, { now: '2026-11-03T00:00:00Z', version: 't' })).report.products[0].results[0];
    expect(grace.status).toBe('GRACE');
    expect(grace.parts[0].evaluation?.firstFailure).toBe('2026-11-02T00:00:00.000Z');
    expect(grace.parts[0].graceUntil).toBe('2026-11-04T00:00:00.000Z');
    expect(grace.parts[0].evaluation?.evidence).toEqual(['evidence/p/scan.json']);
    const failed = (await evaluate(model, { now: '2026-11-04T00:00:00.000Z', version: 't' })).report.products[0].results[0];
    expect(failed.status).toBe('FAILED');
  });

  it('--at evaluates the content as it was at that commit, with now = its date', async () => {
    const at = await cli(['evaluate', '--content', dir, '--at', 'HEAD~1', '--format', 'json']);
    const report = JSON.parse(at.stdout);
    expect(report.now).toBe('2026-11-02T00:00:00.000Z');
    expect(report.commit.sha).toBe(c2);
    expect(report.products[0].results[0].status).toBe('GRACE');
    const first = JSON.parse((await cli(['evaluate', '--content', dir, '--at', c1, '--format', 'json'])).stdout);
    expect(first.products[0].results[0].status).toBe('PASSED');
  });

  it('--at HEAD~1 gives the same report as evaluating a checkout of HEAD~1', async () => {
    const checkout = tempDir();
    dirs.push(checkout);
    execFileSync('git', ['clone', '-q', dir, checkout]);
    execFileSync('git', ['checkout', '-q', c2], { cwd: checkout });
    const a = JSON.parse((await cli(['evaluate', '--content', dir, '--at', 'HEAD~1', '--format', 'json'])).stdout);
    const b = JSON.parse((await cli(['evaluate', '--content', checkout, '--format', 'json', '--now', '2026-11-02T00:00:00Z'])).stdout);
    expect(b.commit.dirty).toBe(false);
    expect(a.products).toEqual(b.products);
  });

  it('an unknown revision exits 2 with one line', async () => {
    const r = await cli(['evaluate', '--content', dir, '--at', 'no-such-rev']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['evident evaluate: --at: unknown revision "no-such-rev".']);
  });

  it('--at outside a git repository is a one-line error', async () => {
    const plain = writeTree(tempDir(), resources);
    dirs.push(plain);
    const r = await cli(['evaluate', '--content', plain, '--at', 'HEAD']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at needs a git repository/);
  });
});

describe('shallow clones', () => {
  it('detects the boundary, warns with the fetch hint, and leaves boundary dates unknown', async () => {
    const origin = tempDir();
    dirs.push(origin);
    gitInit(origin);
    commit(origin, '2026-10-01T00:00:00Z', { ...resources, 'evidence/p/notes.txt': 'v1' });
    commit(origin, '2026-10-02T00:00:00Z', { 'other.md': 'x' });
    const shallow = tempDir();
    dirs.push(shallow);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, shallow]);
    const { model } = await loadModel(shallow);
    expect(model.git.shallow).toBe(true);
    expect(model.diagnostics).toContainEqual(expect.objectContaining({ code: 'shallow-clone', severity: 'warning' }));
    const notes = model.evidence.find((e) => e.path === 'evidence/p/notes.txt')!;
    expect(notes.timestampSource).toBe('unknown');
    expect(notes.timestamp).toBeUndefined();
  });
});

describe('content root in a sub-folder of the repository', () => {
  it('maps git paths to content-relative paths', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    const files = Object.fromEntries(Object.entries({ ...resources, 'evidence/p/scan.json': grype('2026-11-01T00:00:00Z', null) }).map(([k, v]) => [`compliance/${k}`, v]));
    const sha = commit(dir, '2026-11-05T00:00:00Z', files);
    const { model } = await loadModel(path.join(dir, 'compliance'));
    expect(model.evidence[0]).toMatchObject({ path: 'evidence/p/scan.json', project: 'p' });
    expect(model.evidence[0].git.last?.sha).toBe(sha);
    expect(model.git.commits.map((c) => c.sha)).toEqual([sha]);
  });
});

describe('diff and history', () => {
  const dir = tempDir();
  dirs.push(dir);
  gitInit(dir);
  const c1 = commit(dir, '2026-11-01T00:00:00Z', { ...resources, 'evidence/p/scan.json': grype('2026-11-01T00:00:00Z', null) });
  const c2 = commit(dir, '2026-11-10T00:00:00Z', { 'evidence/p/scan.json': grype('2026-11-10T00:00:00Z', 'High') });

  it('diff lists the results that changed, each side with its own now, and the evidence that changed', async () => {
    const r = await cli(['diff', c1, c2, '--content', dir, '--format', 'json', '--exit-code']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.a).toEqual({ rev: c1, commit: c1, now: '2026-11-01T00:00:00.000Z' });
    expect(d.b.now).toBe('2026-11-10T00:00:00.000Z');
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({ product: 'prod', requirement: 'req', project: 'p', from: 'PASSED', to: 'GRACE', evidence: [{ path: 'evidence/p/scan.json' }] });
    const markdown = (await cli(['diff', c1, c2, '--content', dir])).stdout;
    expect(markdown).toContain('| prod | req | p | PASSED | GRACE | evidence/p/scan.json (changed) |');
    expect((await cli(['diff', c2, c2, '--content', dir, '--exit-code'])).code).toBe(0);
  });

  it('history evaluates each commit at its own date', async () => {
    const r = JSON.parse((await cli(['history', '--content', dir, '--format', 'json'])).stdout);
    expect(r.history.map((h: { sha: string }) => h.sha)).toEqual([c2, c1]);
    expect(r.history[1].products[0]).toEqual({ name: 'prod', score: 1, frameworks: [{ name: 'fw', score: 1 }] });
    expect(r.history[0].products[0].score).toBe(1); // GRACE counts as passing
    const one = JSON.parse((await cli(['history', '--content', dir, '--format', 'json', '--max', '1'])).stdout);
    expect(one.history).toHaveLength(1);
    expect((await cli(['history', '--content', dir, '--max', 'x'])).code).toBe(2);
  });
});

describe('signed commits verified with the keys in the content repo', () => {
  it('an SSH-signed commit is signed with the committed allowed-signers file, unsigned otherwise', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    const keyDir = tempDir();
    dirs.push(keyDir);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'signer@example.org', '-f', path.join(keyDir, 'key')]);
    const pub = execFileSync('cat', [path.join(keyDir, 'key.pub')], { encoding: 'utf8' }).trim();
    const withSigners = { ...resources, 'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec:\n  signers: {allowedSigners: keys/allowed_signers}\n', 'keys/allowed_signers': `signer@example.org ${pub}\n` };
    commit(dir, '2026-11-01T00:00:00Z', withSigners, 'unsigned');
    writeTree(dir, { 'evidence/p/scan.json': grype('2026-11-02T00:00:00Z', null) });
    const env = { ...process.env, GIT_COMMITTER_DATE: '2026-11-02T00:00:00Z', GIT_AUTHOR_DATE: '2026-11-02T00:00:00Z', GIT_AUTHOR_NAME: 'S', GIT_AUTHOR_EMAIL: 'signer@example.org', GIT_COMMITTER_NAME: 'S', GIT_COMMITTER_EMAIL: 'signer@example.org', GIT_CONFIG_GLOBAL: '/dev/null' };
    execFileSync('git', ['add', '-A'], { cwd: dir, env });
    execFileSync('git', ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${path.join(keyDir, 'key')}`, 'commit', '-q', '-S', '-m', 'signed'], { cwd: dir, env });
    const { model } = await loadModel(dir);
    const [signed, unsigned] = model.git.commits;
    expect(signed.signature).toMatchObject({ status: 'G', signed: true, signer: 'signer@example.org' });
    expect(unsigned.signature).toMatchObject({ signed: false, reason: 'no signature' });
    expect(model.evidence[0].git.last?.signature.signed).toBe(true);
    // without the allowed-signers file the same signature does not count
    const noKeys = tempDir();
    dirs.push(noKeys);
    execFileSync('git', ['clone', '-q', dir, noKeys]);
    writeTree(noKeys, { 'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec: {}\n' });
    execFileSync('git', ['commit', '-q', '-am', 'drop signers'], { cwd: noKeys, env });
    const again = await loadModel(noKeys);
    expect(again.model.git.commits[1].signature.signed).toBe(false);
  });
});

describe('provenance of exceptions and overrides (git blame)', () => {
  it('shows the commit and author that last changed the entry, and null when uncommitted', async () => {
    const dir = tempDir();
    dirs.push(dir);
    gitInit(dir);
    commit(dir, '2026-11-01T00:00:00Z', { ...resources, 'evidence/p/scan.json': grype('2026-11-01T00:00:00Z', 'Critical') });
    const product = (expires: string) =>
      `apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [p]\n  frameworks: [fw]\n  exceptions:\n    - requirement: req\n      rationale: upstream fix pending\n      approvedBy: ciso@example.org\n      expires: ${expires}\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  policies: [{ref: vulnerabilities}]\n`;
    const sha = commit(dir, '2026-11-03T00:00:00Z', { 'product.yaml': product('2026-12-31') }, 'approve exception');
    const first = JSON.parse((await cli(['evaluate', '--content', dir, '--format', 'json', '--now', '2026-11-05'])).stdout);
    expect(first.products[0].results[0].exception.changedBy).toEqual({ sha, date: '2026-11-03T00:00:00.000Z', author: 'Test Author', signed: false, signer: null });
    writeTree(dir, { 'product.yaml': product('2027-06-30') });
    const edited = JSON.parse((await cli(['evaluate', '--content', dir, '--format', 'json', '--now', '2026-11-05'])).stdout);
    expect(edited.products[0].results[0].exception.changedBy).toBeNull();
  });
});
