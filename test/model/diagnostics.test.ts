// Broken content → diagnostics at the offending node, every problem in one run.
import { afterAll, describe, expect, it } from 'vitest';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../src/load/load-model.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { removeDir, tempDir, writeTree } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function diagnosticsOf(files: Record<string, string | Uint8Array>): Promise<Diagnostic[]> {
  const dir = writeTree(tempDir(), files);
  dirs.push(dir);
  const { model } = await loadModel(dir);
  return model.diagnostics.filter((d) => d.code !== 'not-a-git-repo');
}

const requirement = (name: string, extra = '') => `apiVersion: evident/v1
kind: Requirement
metadata:
  name: ${name}
spec:
  manual_proofs:
    - name: review
${extra}`;

describe('diagnostics with positions', () => {
  const cases: { name: string; files: Record<string, string>; expect: Partial<Diagnostic>[] }[] = [
    {
      name: 'YAML syntax error',
      files: { 'r.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: x\n' },
      expect: [{ file: 'r.yaml', line: 4, column: 1, code: 'yaml-syntax', severity: 'error' }], // the parser reports an unclosed flow map where the input ends
    },
    {
      name: 'duplicate key',
      files: { 'r.yaml': 'apiVersion: evident/v1\nkind: Requirement\nkind: Framework\nmetadata: {name: x}\n' },
      expect: [{ file: 'r.yaml', line: 3, column: 1, code: 'yaml-duplicate-key' }],
    },
    {
      name: 'wrong type at the node',
      files: { 'r.yaml': requirement('r1', '  policies:\n    - ref: vulnerabilities\n      sla: soon\n') },
      expect: [{ file: 'r.yaml', line: 10, column: 12, code: 'schema-invalid', severity: 'error' }],
    },
    {
      name: 'unknown field is a warning at the key',
      files: { 'r.yaml': requirement('r1', '      colour: blue\n') },
      expect: [{ file: 'r.yaml', line: 8, column: 7, code: 'schema-unknown-field', severity: 'warning' }],
    },
    {
      name: 'missing required field at the parent',
      files: { 'p.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata:\n  displayName: Nameless\nspec: {}\n' },
      expect: [{ file: 'p.yaml', line: 4, column: 3, code: 'schema-invalid' }],
    },
    {
      name: 'document without kind',
      files: { 'notes.yaml': 'just: data\n' },
      expect: [{ file: 'notes.yaml', line: 1, column: 1, code: 'missing-kind', severity: 'warning' }],
    },
    {
      name: 'second document in a file keeps its own line numbers',
      files: { 'two.yaml': `${requirement('a')}---\napiVersion: evident/v1\nkind: Requirment\nmetadata: {name: b}\nspec: {}\n` },
      expect: [{ file: 'two.yaml', line: 10, column: 7, code: 'unknown-kind' }],
    },
    {
      name: 'unresolved reference with a suggestion',
      files: {
        'r.yaml': requirement('code-review'),
        'f.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: f}\nspec:\n  sections:\n    - name: S\n      requirements:\n        - ref: code-reveiw\n',
      },
      expect: [{ file: 'f.yaml', line: 8, column: 16, code: 'unresolved-reference', message: 'Unknown requirement "code-reveiw". Did you mean "code-review"?' }],
    },
    {
      name: 'alias bomb',
      files: {
        'bomb.yaml': 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
      },
      expect: [{ file: 'bomb.yaml', line: 1, column: 1, code: 'yaml-alias-limit' }],
    },
    {
      name: 'a list used as a mapping key',
      files: { 'c.yaml': 'apiVersion: evident/v1\n? [a, b]\n: 1\n' },
      expect: [{ file: 'c.yaml', line: 2, column: 3, code: 'yaml-syntax', severity: 'error' }],
    },
    {
      name: 'empty file',
      files: { 'empty.yaml': '' },
      expect: [{ file: 'empty.yaml', code: 'file-empty', severity: 'warning' }],
    },
    {
      name: 'duplicate names',
      files: { 'a.yaml': requirement('same'), 'b.yaml': requirement('same') },
      expect: [{ file: 'b.yaml', line: 4, column: 9, code: 'duplicate-name' }],
    },
    {
      name: 'proof attachment escaping the root',
      files: {
        'r.yaml': requirement('sec'),
        'proofs/p.md': '---\nrequirement: sec\nproof: review\ndate: 2026-01-01\nattachments: [../../etc/passwd]\n---\nBody\n',
      },
      expect: [{ file: 'proofs/p.md', line: 5, column: 15, code: 'path-outside-root' }],
    },
    {
      name: 'proof naming an unknown proof',
      files: { 'r.yaml': requirement('sec'), 'p.md': '---\nrequirement: sec\nproof: reveiw\n---\n' },
      expect: [{ file: 'p.md', line: 3, column: 8, code: 'proof-unknown-proof' }],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const found = await diagnosticsOf(c.files);
      for (const e of c.expect) expect(found).toContainEqual(expect.objectContaining(e));
    });
  }

  it('collects every problem of several broken files in one run and still loads the good ones', async () => {
    const dir = writeTree(tempDir(), {
      'good.yaml': requirement('good'),
      'bad1.yaml': 'kind: [\n',
      'bad2.yaml': requirement('bad2', '  active: maybe\n'),
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const codes = model.diagnostics.map((d) => `${d.file}:${d.code}`);
    expect(codes).toContain('bad1.yaml:yaml-syntax');
    expect(codes).toContain('bad2.yaml:schema-invalid');
    expect(Object.keys(model.requirements)).toContain('good');
    expect(Object.keys(model.requirements)).not.toContain('bad2');
    // sorted by file, line, column
    const files = model.diagnostics.map((d) => d.file);
    expect(files).toEqual([...files].sort());
  });

  it('reports non-UTF-8 files and files over the size limit', async () => {
    const dir = writeTree(tempDir(), {
      'latin1.yaml': new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0xff, 0x0a]),
      'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec:\n  limits: {maxFileBytes: 100}\n',
      'evidence/p/big.json': JSON.stringify({ data: 'x'.repeat(200) }),
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    expect(model.diagnostics).toContainEqual(expect.objectContaining({ file: 'latin1.yaml', code: 'file-not-utf8', severity: 'error' }));
    expect(model.diagnostics).toContainEqual(expect.objectContaining({ file: 'evidence/p/big.json', code: 'file-too-large', severity: 'error' }));
  });

  it('does not follow a symlink that leaves the content root', async () => {
    const outside = tempDir();
    dirs.push(outside);
    writeFileSync(path.join(outside, 'secret.yaml'), requirement('secret'));
    const dir = writeTree(tempDir(), { 'ok.yaml': requirement('ok') });
    dirs.push(dir);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'link.yaml'));
    const { model } = await loadModel(dir);
    expect(model.diagnostics).toContainEqual(expect.objectContaining({ file: 'link.yaml', code: 'symlink-outside-root', severity: 'error' }));
    expect(model.requirements.secret).toBeUndefined();
  });

  it('warns once outside a git repository', async () => {
    const dir = writeTree(tempDir(), { 'r.yaml': requirement('r') });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    expect(model.diagnostics.filter((d) => d.code === 'not-a-git-repo')).toHaveLength(1);
    expect(model.git.available).toBe(false);
  });
});

describe('references are reported where they are written', () => {
  it('an unknown contract, project or framework is an error at the list entry', async () => {
    const dir = writeTree(tempDir(), {
      'p.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [api, nope]\n  frameworks:\n    - soc2\n    - sox\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: api}\nspec:\n  contracts: [missing-contract]\n',
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const unresolved = model.diagnostics.filter((d) => d.code === 'unresolved-reference').map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(unresolved).toEqual(['5:19 Unknown project "nope".', '8:7 Unknown framework "sox". Did you mean "soc2"?', '14:15 Unknown contract "missing-contract".']);
  });
});
