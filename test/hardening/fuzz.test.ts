// The fuzz suite: fixed seed, bounded runs (scripts/fuzz.ts runs it longer).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/load/load-model.ts';
import { evaluateCustomPolicy } from '../../src/policies/custom.ts';
import { readEvidence } from '../../src/evidence/read.ts';
import { removeDir, repoRoot, tempDir, writeTree } from '../helpers.ts';
import { checkFrontMatter, checkReader, checkXml, checkYaml, mutated, seedFiles, xmlText, yamlText } from './properties.ts';

const seed = 20261122;
const seeds = seedFiles(repoRoot);

describe('fuzz (fixed seed)', () => {
  it('readEvidence never throws or hangs on mutated corpus and fixture files', () => {
    expect(seeds.length).toBeGreaterThan(10); // the test fixtures alone; with ../shared/corpus about 60
    fc.assert(fc.property(mutated(seeds), (file) => checkReader(file, 2000)), { seed, numRuns: 400 });
  });

  it('readEvidence never throws on arbitrary bytes under evidence-like names', () => {
    const names = fc.constantFrom('evidence/p/a.json', 'evidence/p/b.xml', 'evidence/p/c.sarif', 'evidence/p/gitleaks.json', 'evidence/p/d.jsonl', 'evidence/p/e.bin');
    fc.assert(fc.property(names, fc.uint8Array({ maxLength: 512 }), (p, bytes) => checkReader({ path: p, bytes }, 1000)), { seed, numRuns: 500 });
  });

  it('the YAML parser gives documents or positioned diagnostics, never throws', () => {
    fc.assert(fc.property(yamlText, (t) => checkYaml(t)), { seed, numRuns: 1000 });
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => checkYaml(t)), { seed, numRuns: 500 });
  });

  it('front matter and XML parsers never throw', () => {
    fc.assert(fc.property(yamlText, fc.string({ maxLength: 50 }), (y, b) => checkFrontMatter(`---\n${y}\n---\n${b}`)), { seed, numRuns: 500 });
    fc.assert(fc.property(xmlText, (t) => checkXml(t)), { seed, numRuns: 500 });
    fc.assert(fc.property(xmlText, (t) => checkReader({ path: 'evidence/p/r.xml', bytes: Buffer.from(t) }, 1000)), { seed, numRuns: 300 });
  });

  it('the loader yields a model with diagnostics for random content trees, never throws', async () => {
    const yamlSeeds = seeds.filter((s) => /\.(ya?ml|md)$/.test(s.path));
    expect(yamlSeeds.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(fc.array(mutated(yamlSeeds), { minLength: 1, maxLength: 5 }), fc.array(mutated(seeds), { maxLength: 3 }), async (resources, evidence) => {
        const dir = tempDir();
        try {
          const files: Record<string, Uint8Array> = {};
          resources.forEach((r, i) => (files[`r${i}-${r.path.split('/').pop()}`] = r.bytes));
          evidence.forEach((e, i) => (files[`evidence/p/e${i}-${e.path.split('/').pop()}`] = e.bytes));
          writeTree(dir, files);
          const { model } = await loadModel(dir);
          expect(Array.isArray(model.diagnostics)).toBe(true);
        } finally {
          removeDir(dir);
        }
      }),
      { seed, numRuns: 40 },
    );
  });

  it('declarative policies with arbitrary expressions never throw out of evaluation', async () => {
    const pieces = fc.constantFrom('runs', '.results', '[', ']', '$with', '.level', ' & ', '"x"', '(', ')', '$count(', '$string(', 'function($x){$x}', '~>', '$$', '**', '=', 'level', '1', ';');
    const expr = fc.array(pieces, { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(expr, async (violations) => {
        const policy = { apiVersion: 'evident/v1', kind: 'Policy', metadata: { name: 'p', annotations: {} }, source: { file: 'p.yaml', line: 1, column: 1 }, builtin: false, kinds: ['sarif'], parameters: { type: 'object' }, violations, expressionSource: { file: 'p.yaml', line: 5, column: 15 } } as const;
        const item = { path: 'evidence/p/a.sarif', project: 'p', stream: 'evidence/p', kind: 'sarif', size: 1, sha256: '', git: { dirty: false, versions: [] }, timestamp: '2026-01-01T00:00:00.000Z', timestampSource: 'content', data: {}, json: { runs: [{ results: [{ level: 'error' }] }] }, broken: false } as const;
        const v = await evaluateCustomPolicy(policy as never, { at: '2026-01-02T00:00:00.000Z', primary: [item as never], supporting: [], history: [], commits: [], files: {} }, {}, { policyMillis: 200 });
        expect(['PASSED', 'FAILED', 'SKIPPED']).toContain(v.status);
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('limits', () => {
  it('does not expand XML entities (billion laughs, XXE)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><testsuite name="&lol4;" tests="1"><testcase name="x"/></testsuite>`;
    const start = performance.now();
    const r = readEvidence('evidence/p/junit.xml', Buffer.from(laughs));
    expect(performance.now() - start).toBeLessThan(1000);
    expect(r.problems.map((p) => p.code)).toContain('evidence-xml-entities');
    expect(JSON.stringify(r)).not.toContain('lollollol');
    const xxe = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="&xxe;" tests="1"><testcase name="x"/></testsuite>`;
    expect(JSON.stringify(readEvidence('evidence/p/junit.xml', Buffer.from(xxe)))).not.toContain('root:');
  });

  it('limits YAML nesting depth', async () => {
    const deep = 'a: ' + '['.repeat(200) + ']'.repeat(200) + '\n';
    const dir = writeTree(tempDir(), { 'deep.yaml': deep });
    try {
      const { model } = await loadModel(dir);
      expect(model.diagnostics).toContainEqual(expect.objectContaining({ file: 'deep.yaml', code: 'yaml-depth-limit' }));
    } finally {
      removeDir(dir);
    }
  });

  it('a JSONata expression that runs out of time is a FAILED evaluation, not a hang', async () => {
    const policy = { apiVersion: 'evident/v1', kind: 'Policy', metadata: { name: 'slow', annotations: {} }, source: { file: 'p.yaml', line: 1, column: 1 }, builtin: false, kinds: ['sarif'], parameters: { type: 'object' }, violations: '($f := function($n){ $n = 0 ? 0 : $f($n - 1) + $f($n - 1) }; $f(40))', expressionSource: { file: 'p.yaml', line: 5, column: 15 } };
    const item = { path: 'evidence/p/a.sarif', project: 'p', stream: 'evidence/p', kind: 'sarif', size: 1, sha256: '', git: { dirty: false, versions: [] }, timestamp: '2026-01-01T00:00:00.000Z', timestampSource: 'content', data: {}, json: {}, broken: false };
    const start = performance.now();
    const v = await evaluateCustomPolicy(policy as never, { at: '2026-01-02T00:00:00.000Z', primary: [item as never], supporting: [], history: [], commits: [], files: {} }, {}, { policyMillis: 100 });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(v.status).toBe('FAILED');
    expect(v.error?.code).toBe('policy-expression-timeout');
  });
});
