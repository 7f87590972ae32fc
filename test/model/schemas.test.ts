// The shipped schemas are current, editors' dispatching schema works, and
// every report validates against the report schema.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaFiles, validatorModule } from '../../src/model/schema-files.ts';
import { schemasDigest } from '../../src/model/validate-schema.ts';
import * as precompiled from '../../src/model/validators.generated.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { repoRoot } from '../helpers.ts';

const shipped = (name: string) => JSON.parse(readFileSync(path.join(repoRoot, 'schemas', name), 'utf8'));

describe('shipped schemas', () => {
  it('schemas/ matches src/model/schemas.ts (run `npm run schemas` after a change)', () => {
    for (const [name, text] of Object.entries(schemaFiles())) expect(readFileSync(path.join(repoRoot, 'schemas', name), 'utf8'), name).toBe(text);
  });

  it('the precompiled validators are current, so no process compiles the schemas again (run `npm run schemas` after a change)', () => {
    expect(readFileSync(path.join(repoRoot, 'src/model/validators.generated.ts'), 'utf8')).toBe(validatorModule());
    expect(precompiled.schemasDigest).toBe(schemasDigest());
  });

  it('resource.schema.json accepts every built-in catalog document and rejects a wrong type', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(shipped('resource.schema.json'));
    let count = 0;
    for (const sub of ['frameworks', 'requirements']) {
      const dir = path.join(repoRoot, 'src/catalogs', sub);
      for (const f of readdirSync(dir)) {
        for (const doc of parseAllDocuments(readFileSync(path.join(dir, f), 'utf8'))) {
          const ok = validate(doc.toJS());
          expect(ok, `${f}: ${JSON.stringify(validate.errors?.[0])}`).toBe(true);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(validate({ apiVersion: 'evident/v1', kind: 'Requirement', metadata: { name: 'x' }, spec: { active: 'yes' } })).toBe(false);
  });
});

describe('report schema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(shipped('report.schema.json'));
  for (const fixture of ['test/fixtures/scenario', 'content']) {
    it(`validates the report of ${fixture}`, async () => {
      const { model } = await loadModel(path.join(repoRoot, fixture));
      const { report } = await evaluate(model, { now: '2026-11-22T00:00:00Z', version: '0.0.0' });
      const ok = validate(JSON.parse(JSON.stringify(report)));
      expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    });
  }
  it('rejects a report with an unknown status', () => {
    expect(validate({ schemaVersion: 1, generator: { name: 'evident', version: '1' }, now: '2026-11-22T00:00:00.000Z', commit: null, organization: null, products: [{ name: 'p', displayName: 'p', version: null, owner: null, projects: [], score: null, counts: {}, results: [{ requirement: 'r', project: null, status: 'OK' }], frameworks: [] }], diagnostics: { errors: 0, warnings: 0, notes: 0 } })).toBe(false);
  });
});
