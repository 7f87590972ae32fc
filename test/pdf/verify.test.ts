// `evident pdf` then `evident verify` on a git copy of the scenario: a fresh
// packet verifies; one changed evidence byte, a missing file or an absent
// commit fail with 1; a PDF that is not a packet exits 2 with one line.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdf } from '../../src/cli/commands/pdf.ts';
import { verify } from '../../src/cli/commands/verify.ts';
import { compareManifest, readPacketManifest } from '../../src/pdf/verify.ts';
import { commit, gitInit, removeDir, tempDir } from '../helpers.ts';
import { copyScenario, now, runCommand } from './pdf-helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

let content: string;
let out: string;
let packet: string;
let sha: string;

beforeAll(async () => {
  content = copyScenario();
  dirs.push(content);
  gitInit(content);
  sha = commit(content, '2026-11-21T12:00:00Z', {});
  out = tempDir('evident-verify-');
  dirs.push(out);
  const r = await runCommand(pdf, ['--content', content, '--out', path.join(out, 'packets'), '--now', now, '--attach-evidence']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n').map((l) => path.basename(l))).toEqual(['acme--demo.pdf', 'acme--all.pdf']);
  packet = path.join(out, 'packets', 'acme--demo.pdf');
});

describe('evident pdf', () => {
  it('writes the packets into place and leaves no temporary folder', () => {
    expect(execFileSync('ls', ['-A', out], { encoding: 'utf8' }).trim()).toBe('packets');
  });

  it('produces the same bytes for the same commit and SOURCE_DATE_EPOCH', async () => {
    const env = { SOURCE_DATE_EPOCH: String(Date.parse(now) / 1000) };
    const render = async (dir: string) => {
      let stderr = '';
      const code = await pdf(['--content', content, '--out', dir, '--framework', 'demo'], { stdout: () => {}, stderr: (t) => void (stderr += t), env, cwd: out });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      return readFileSync(path.join(dir, 'acme--demo.pdf'));
    };
    const a = await render(path.join(out, 'a'));
    const b = await render(path.join(out, 'b'));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(readFileSync(packet))).toBe(false); // that one carries attachments
  });

  it('rejects an unknown product or framework as a usage error', async () => {
    expect((await runCommand(pdf, ['--content', content, '--product', 'nope', '--out', path.join(out, 'x')])).code).toBe(2);
    const r = await runCommand(pdf, ['--content', content, '--framework', 'soc3', '--out', path.join(out, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--framework');
  });
});

describe('evident verify', () => {
  it('passes on a fresh packet: every file matches and the commit is HEAD', async () => {
    const r = await runCommand(verify, [packet, '--content', content]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`commit ${sha}: present, and is HEAD`);
    expect(r.stdout).toMatch(/on disk: \d+ match, 0 changed, 0 missing/);
    expect(r.stdout).toContain('OK');
  });

  it('fails with the list of mismatches after one evidence byte changes, and passes again when it is restored', async () => {
    const file = path.join(content, 'evidence/api/grype.json');
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.length - 2] ^= 0x01;
    writeFileSync(file, changed);
    try {
      const r = await runCommand(verify, [packet, '--content', content]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/on disk: \d+ match, 1 changed, 0 missing/);
      expect(r.stdout).toContain('changed evidence/api/grype.json: expected sha256 ');
      expect(r.stdout).toContain('FAILED');
    } finally {
      writeFileSync(file, original);
    }
    expect((await runCommand(verify, [packet, '--content', content])).code).toBe(0);
  });

  it('fails when a file is missing', async () => {
    const file = path.join(content, 'proofs/signoff.md');
    const original = readFileSync(file);
    rmSync(file);
    try {
      const r = await runCommand(verify, [packet, '--content', content]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('missing proofs/signoff.md');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('says when the commit is present but no longer HEAD, and fails when the commit is absent', async () => {
    const other = copyScenario();
    dirs.push(other);
    gitInit(other);
    commit(other, '2026-11-21T13:00:00Z', {}, 'another history');
    const absent = await runCommand(verify, [packet, '--content', other]);
    expect(absent.code).toBe(1);
    expect(absent.stdout).toContain(`commit ${sha}: absent from this repository`);

    const later = commit(content, '2026-11-21T14:00:00Z', { 'notes.txt': 'unrelated\n' });
    const moved = await runCommand(verify, [packet, '--content', content]);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(`not HEAD (HEAD is ${later})`);
  });

  it('exits 2 with one line for a PDF that is not an evident packet, a file that is not a PDF, or an unreadable manifest', async () => {
    const plain = path.join(out, 'plain.pdf');
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => doc.on('end', resolve));
    doc.text('Just a PDF.');
    doc.end();
    await ended;
    writeFileSync(plain, Buffer.concat(chunks));
    const r = await runCommand(verify, [plain, '--content', content]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not an evident packet');

    const text = path.join(out, 'text.pdf');
    writeFileSync(text, 'hello');
    expect((await runCommand(verify, [text])).code).toBe(2);

    // damage the compressed manifest stream: the packet can no longer be trusted
    const bytes = readFileSync(packet);
    const at = bytes.indexOf('/Subtype /application#2Fjson');
    const stream = bytes.indexOf('stream\n', at) + 'stream\n'.length;
    const broken = Buffer.from(bytes);
    for (let i = 0; i < 8; i++) broken[stream + 4 + i] ^= 0xff;
    const damaged = path.join(out, 'damaged.pdf');
    writeFileSync(damaged, broken);
    const d = await runCommand(verify, [damaged, '--content', content]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('manifest unreadable');

    expect((await runCommand(verify, [path.join(out, 'nope.pdf')])).code).toBe(2);
    expect((await runCommand(verify, [])).code).toBe(2);
  });
});

describe('compareManifest', () => {
  const hex = (c: string) => c.repeat(64);
  const manifest = {
    files: [
      { path: 'b.json', type: 'evidence' as const, sha256: hex('b'), commit: null },
      { path: 'a.json', type: 'evidence' as const, sha256: hex('a'), commit: null },
      { path: 'c.md', type: 'proof' as const, sha256: hex('c'), commit: null },
    ],
  };
  it.each([
    { name: 'all match', found: { 'a.json': hex('a'), 'b.json': hex('b'), 'c.md': hex('c') }, matched: ['a.json', 'b.json', 'c.md'], changed: [], missing: [] },
    { name: 'one changed', found: { 'a.json': hex('a'), 'b.json': hex('d'), 'c.md': hex('c') }, matched: ['a.json', 'c.md'], changed: [{ path: 'b.json', expected: hex('b'), actual: hex('d') }], missing: [] },
    { name: 'one missing, extra files ignored', found: { 'a.json': hex('a'), 'c.md': hex('c'), 'z.txt': hex('e') }, matched: ['a.json', 'c.md'], changed: [], missing: ['b.json'] },
    { name: 'nothing found', found: {}, matched: [], changed: [], missing: ['a.json', 'b.json', 'c.md'] },
  ])('$name', ({ found, matched, changed, missing }) => {
    expect(compareManifest(manifest, new Map(Object.entries(found)))).toEqual({ matched, changed, missing });
  });

  it('reads the manifest of a packet', () => {
    const read = readPacketManifest(readFileSync(packet));
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.manifest.commit?.sha).toBe(sha);
  });
});
