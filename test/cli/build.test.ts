// `evident build`: complete outputs, nothing written into the content root,
// atomic replacement, and a public variant without confidential data.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { cli, cliProcess, removeDir, repoRoot, tempDir, writeTree } from '../helpers.ts';

const scenario = path.join(repoRoot, 'test/fixtures/scenario');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of walk(dir).sort()) h.update(path.relative(dir, f)).update(readFileSync(f));
  return h.digest('hex');
}

describe('build', () => {
  let out: string;
  let content: string;
  let before: string;
  beforeAll(async () => {
    const work = tempDir();
    dirs.push(work);
    content = path.join(work, 'content');
    cpSync(scenario, content, { recursive: true });
    before = treeHash(content);
    out = path.join(work, 'dist');
    const r = await cli(['build', '--content', content, '--out', out, '--now', '2026-11-22', '--no-portal']);
    expect(r.code).toBe(0);
  });

  it('writes report.json (valid against its schema), JUnit, CSV, Markdown, OSCAL, CycloneDX and packets', () => {
    for (const f of ['report.json', 'junit.xml', 'results.csv', 'summary.md', 'oscal/acme.assessment-results.json', 'cyclonedx/acme.cdxa.json', 'packets/acme--demo.pdf', 'packets/acme--all.pdf']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')))).toBe(true);
  });

  it('never writes into the content root', () => {
    expect(treeHash(content)).toBe(before);
  });

  it('refuses an --out inside the content root', async () => {
    const r = await cli(['build', '--content', content, '--out', path.join(content, 'dist')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inside the content root/);
  });

  it('is byte-identical for the same content and now', async () => {
    const again = path.join(path.dirname(out), 'again');
    await cli(['build', '--content', content, '--out', again, '--now', '2026-11-22', '--no-portal']);
    for (const f of walk(out)) expect(readFileSync(path.join(again, path.relative(out, f))).equals(readFileSync(f)), path.relative(out, f)).toBe(true);
  });

  it('an interrupted build leaves the previous output intact', async () => {
    const marker = readFileSync(path.join(out, 'report.json'));
    const child = spawn(process.execPath, [path.join(repoRoot, 'src/cli/bin.ts'), 'build', '--content', content, '--out', out, '--now', '2026-12-01'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(readFileSync(path.join(out, 'report.json')).equals(marker)).toBe(true);
    expect(existsSync(path.join(out, 'packets/acme--all.pdf'))).toBe(true);
    // the next build removes what the killed one left behind
    await cli(['build', '--content', content, '--out', out, '--now', '2026-11-22', '--no-portal']);
    expect(readdirSync(path.dirname(out)).filter((n) => n.includes('.building-'))).toEqual([]);
  });

  it('two builds at once into the same folder leave one complete output', async () => {
    const run = () =>
      new Promise<number>((resolve) => {
        const c = spawn(process.execPath, [path.join(repoRoot, 'src/cli/bin.ts'), 'build', '--content', content, '--out', out, '--now', '2026-11-23', '--no-portal'], { stdio: 'ignore' });
        c.on('exit', (code) => resolve(code ?? -1));
      });
    const codes = await Promise.all([run(), run()]);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.now).toBe('2026-11-23T00:00:00.000Z');
    expect(existsSync(path.join(out, 'packets/acme--all.pdf'))).toBe(true);
    expect(readdirSync(path.dirname(out)).filter((n) => n.includes('.building-'))).toEqual([]);
  });
});

describe('build --public', () => {
  it('contains nothing of confidential proofs or the evidence of confidential projects in any output file', async () => {
    const work = tempDir();
    dirs.push(work);
    const content = path.join(work, 'content');
    cpSync(scenario, content, { recursive: true });
    const canary = 'CANARY-7f3a9c';
    writeTree(content, {
      'products/secret.yaml': `apiVersion: evident/v1\nkind: Project\nmetadata: {name: vault}\nspec:\n  confidential: true\n  policies: [{ref: tests-passed}]\n`,
      'evidence/vault/vault-canary-results.xml': `<testsuite name="${canary}" tests="1" failures="1" timestamp="2026-11-20T00:00:00Z"><testcase name="${canary}-case"><failure message="${canary} leaked"/></testcase></testsuite>\n`,
      'proofs/secret-review.md': `---\nrequirement: sec-review\nproof: review\nproject: api\ndate: 2026-11-01\nconfidential: true\nattachments: [canary-attachment.txt]\n---\n${canary} body\n`,
      'proofs/canary-attachment.txt': `${canary} attachment\n`,
    });
    const acme = readFileSync(path.join(content, 'products/acme.yaml'), 'utf8').replace('projects: [api, web, cli]', 'projects: [api, web, cli, vault]');
    writeTree(content, { 'products/acme.yaml': acme });
    const secrets = [canary, 'vault-canary-results', 'secret-review.md', 'canary-attachment'];
    for (const f of ['evidence/vault/vault-canary-results.xml', 'proofs/secret-review.md', 'proofs/canary-attachment.txt']) secrets.push(createHash('sha256').update(readFileSync(path.join(content, f))).digest('hex'));
    const out = path.join(work, 'public');
    const r = cliProcess(['build', '--content', content, '--out', out, '--now', '2026-11-22', '--public']);
    expect(r.code, r.stderr).toBe(0);
    const files = walk(out);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      for (const s of secrets) expect(text.includes(s), `${path.relative(out, f)} contains ${s}`).toBe(false);
    }
    // and the internal build does contain them (the test can fail)
    const internal = path.join(work, 'internal');
    cliProcess(['build', '--content', content, '--out', internal, '--now', '2026-11-22', '--no-portal']);
    expect(readFileSync(path.join(internal, 'report.json'), 'utf8')).toContain('vault-canary-results');
  });
});
