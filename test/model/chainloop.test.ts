// Chainloop documents load as SPEC section 1 says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/load/load-model.ts';
import { corpusDir, removeDir, tempDir, writeTree } from '../helpers.ts';

const chainloopDir = path.join(corpusDir, 'chainloop');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe.skipIf(!existsSync(chainloopDir))('Chainloop corpus', () => {
  it('loads every file: Framework and Requirement unchanged, Contract imported, Rego with one warning each', async () => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(chainloopDir)) files[`chainloop/${name}`] = readFileSync(path.join(chainloopDir, name), 'utf8');
    const dir = writeTree(tempDir(), files);
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const d = model.diagnostics.filter((x) => x.code !== 'not-a-git-repo');
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    // Rego: one warning per document
    const rego = d.filter((x) => x.code === 'chainloop-rego-policy');
    expect(rego.map((x) => x.file).sort()).toEqual(['chainloop/cyclonedx-banned-licenses.yaml', 'chainloop/policy_group.yaml']);
    // Framework and requirements unchanged
    const fw = model.frameworks['my-best-practices'];
    expect(fw.apiVersion).toBe('chainloop.dev/v1');
    expect(fw.controls.map((c) => c.id)).toEqual(['source-code', 'artifacts', 'vulnerability-management']);
    expect(fw.controls[0].requirements.map((r) => r.ref)).toEqual(['branch-protection', 'code-review', 'commits-signed-required']);
    expect(model.requirements['no-vulnerabilities-high'].builtin).toBe(false);
    expect(model.requirements['container-security'].policies.map((p) => p.ref)).toEqual(['container-signed', 'vulnerabilities']);
    // Contract imported; its file:// and URL refs are warnings
    expect(model.contracts.contract).toBeDefined();
    expect(model.contracts.contract.policies).toEqual([]);
    const remote = d.filter((x) => x.code === 'chainloop-remote-ref');
    expect(remote).toHaveLength(2);
    expect(remote[0]).toMatchObject({ file: 'chainloop/skynet-contract.yaml', line: 48, column: 14 });
    // every requirement the framework names resolves (built-ins provide the rest)
    expect(d.filter((x) => x.code === 'unresolved-reference')).toEqual([]);
  });
});

describe('chainloop.dev/v1 framework rules', () => {
  it('rejects a requirement listed twice, at the second place, naming the first', async () => {
    const dir = writeTree(tempDir(), {
      'f.yaml': 'apiVersion: chainloop.dev/v1\nkind: Framework\nmetadata: {name: f}\nspec:\n  sections:\n    - name: A\n      requirements: [{ref: code-review}]\n    - name: B\n      requirements:\n        - ref: code-review\n',
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    const dup = model.diagnostics.find((x) => x.code === 'duplicate-requirement-ref');
    expect(dup).toMatchObject({ file: 'f.yaml', line: 10, column: 16, severity: 'error' });
    expect(dup!.message).toContain('line 7');
    expect(model.frameworks.f.controls[1].requirements).toEqual([]);
  });

  it('lets an evident/v1 framework map one requirement to several controls', async () => {
    const dir = writeTree(tempDir(), {
      'f.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: f}\nspec:\n  sections:\n    - name: A\n      requirements: [{ref: code-review, relationship: equal}]\n    - name: B\n      requirements: [{ref: code-review}]\n',
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    expect(model.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(model.frameworks.f.controls.map((c) => c.requirements[0].relationship)).toEqual(['equal', 'intersects']);
  });
});
