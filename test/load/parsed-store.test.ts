// Parsed YAML, front matter and blame kept in the cache folder: what a later
// run reads from there is what parsing (or git) gives.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParsedStore } from '../../src/load/parsed-store.ts';
import { loadContent } from '../../src/load/load-content.ts';
import { parseFrontMatter } from '../../src/parse/front-matter.ts';
import { parseYaml } from '../../src/parse/yaml.ts';
import { commit, gitInit, removeDir, repoRoot, tempDir, writeTree } from '../helpers.ts';
import { expectSameDocument } from './positions.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((n) => pattern.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

describe('parsed-file store', () => {
  // The fixture scenario and the bundled example content, and cases of their own.
  const roots = [path.join(repoRoot, 'test/fixtures/scenario'), path.join(repoRoot, 'content')];
  const texts = (pattern: RegExp) => roots.flatMap((root) => filesUnder(root, pattern).map((f): [string, string] => [path.relative(repoRoot, f), readFileSync(f, 'utf8')]));
  const yamlTexts: [string, string][] = [
    ...texts(/\.ya?ml$/),
    ['broken.yaml', 'a: 1\na: 2\n---\nb: [\n'],
    ['several.yaml', 'a:\n  b:\n  c: [1, {d: 2}]\n---\n- 1\n- [2, 3]\n'],
    ['infinite.yaml', 'x: .inf\n'], // JSON cannot carry it: parsed every time
  ];
  const markdown: [string, string][] = [
    ...texts(/\.md$/),
    ['none.md', '# No front matter\n'],
    ['open.md', '---\nproof: x\nnever closed\n'],
    ['crlf.md', '---\r\nproof: p\r\ndate: 2026-01-01\r\n---\r\nBody\r\n'],
    ['dots.md', '---\nproof: p\n...\nbody after dots'],
    ['bad.md', '---\nproof: [\n---\nbody'],
  ];

  it('gives, from the file a run wrote, what parsing gives: data, every position, problems and bodies', () => {
    const cacheDir = tempDir();
    dirs.push(cacheDir);
    const writer = new ParsedStore(cacheDir);
    for (const [file, text] of yamlTexts) writer.yaml(text, sha(text), file);
    for (const [file, text] of markdown) writer.frontMatter(text, sha(text), file);
    writer.flush();
    const kept = JSON.parse(readFileSync(path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith('parsed-'))!), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(kept)).toHaveLength(yamlTexts.length - 1 + markdown.length);
    expect(Object.keys(kept).some((k) => k.endsWith(':infinite.yaml'))).toBe(false);

    const reader = new ParsedStore(cacheDir);
    for (const [file, text] of yamlTexts) {
      const parsed = parseYaml(text, file);
      const got = reader.yaml(text, sha(text), file);
      expect(got.diagnostics, file).toEqual(parsed.diagnostics);
      expect(got.documents, file).toHaveLength(parsed.documents.length);
      got.documents.forEach((d, i) => expectSameDocument(d, parsed.documents[i]!, `${file} #${i}`));
    }
    for (const [file, text] of markdown) {
      const parsed = parseFrontMatter(text, file);
      const got = reader.frontMatter(text, sha(text), file);
      expect(got.body, file).toBe(parsed.body);
      expect(got.diagnostics, file).toEqual(parsed.diagnostics);
      expect(got.frontMatter === undefined, file).toBe(parsed.frontMatter === undefined);
      if (got.frontMatter) expectSameDocument(got.frontMatter, parsed.frontMatter!, file);
    }
    expect(yamlTexts.length + markdown.length).toBeGreaterThan(15);
  });

  it('keeps blame only for files as committed: an edited product file is blamed again and shows uncommitted lines', async () => {
    const dir = tempDir();
    const cacheDir = tempDir();
    dirs.push(dir, cacheDir);
    gitInit(dir);
    const product = (expires: string) =>
      `apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec:\n  projects: [p]\n  exceptions:\n    - requirement: req\n      rationale: pending\n      approvedBy: ciso@example.org\n      expires: ${expires}\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec: {}\n`;
    const sha1 = commit(dir, '2026-11-03T00:00:00Z', { 'product.yaml': product('2026-12-31') });
    const blameOf = async () => [...(await loadContent(dir, { cacheDir })).blame.get('product.yaml')!.values()].map((c) => c?.sha ?? null);
    const first = await blameOf();
    expect(first.length).toBeGreaterThan(10);
    expect(new Set(first)).toEqual(new Set([sha1]));
    const kept = readFileSync(path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith('parsed-'))!), 'utf8');
    expect(kept).toContain(`"b:${sha1}:product.yaml"`);
    expect(await blameOf()).toEqual(first);
    writeTree(dir, { 'product.yaml': product('2027-06-30') });
    const edited = await blameOf();
    expect(edited.filter((s) => s === null)).toHaveLength(1); // the changed line
    expect(edited.filter((s) => s === sha1)).toHaveLength(first.length - 1);
  });
});
