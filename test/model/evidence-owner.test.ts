// Evidence belongs to the project whose evidence folder holds it, the deepest folder winning.
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/load/load-model.ts';
import { removeDir, tempDir, writeTree } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const project = (name: string, evidence?: string) => `apiVersion: evident/v1\nkind: Project\nmetadata: {name: ${name}}\nspec: {${evidence ? `evidence: ${evidence}` : ''}}\n`;
const junit = '<testsuite name="s" tests="1" failures="0" timestamp="2026-11-02T00:00:00Z"><testcase name="a"/></testsuite>\n';

describe('evidence ownership', () => {
  it('gives each file to the deepest project folder holding it, shared files to none, and reports unclaimed folders', async () => {
    const dir = writeTree(tempDir(), {
      'projects.yaml': [project('api'), project('api-worker', 'evidence/api/worker'), project('web', 'evidence/frontends/web/')].join('---\n'),
      'evidence/api/junit.xml': junit,
      'evidence/api/worker/junit.xml': junit,
      'evidence/api/worker/deep/junit.xml': junit,
      'evidence/api-other/junit.xml': junit,
      'evidence/frontends/web/junit.xml': junit,
      'evidence/_shared/junit.xml': junit,
    });
    dirs.push(dir);
    const { model } = await loadModel(dir);
    expect(Object.fromEntries(model.evidence.map((e) => [e.path, e.project]))).toEqual({
      'evidence/_shared/junit.xml': null,
      'evidence/api-other/junit.xml': null,
      'evidence/api/junit.xml': 'api',
      'evidence/api/worker/deep/junit.xml': 'api-worker',
      'evidence/api/worker/junit.xml': 'api-worker',
      'evidence/frontends/web/junit.xml': 'web',
    });
    expect(model.diagnostics.filter((d) => d.code === 'evidence-no-project').map((d) => d.file)).toEqual(['evidence/api-other']);
  });
});
