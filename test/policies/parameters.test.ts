// resolveParameters: defaults applied into a fresh object, then validated; ajv never writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPolicies } from '../../src/policies/index.ts';
import { applyDefaults, parameterAjv, parameterSchemaDigest, resolveParameters, usePrecompiled } from '../../src/policies/parameters.ts';
import * as generated from '../../src/policies/parameter-validators.generated.ts';
import { parameterValidatorModule } from '../../src/policies/precompiled-parameters.ts';
import { repoRoot } from '../helpers.ts';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    severity: { enum: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'], default: 'HIGH' },
    days: {
      type: 'object',
      additionalProperties: false,
      properties: { HIGH: { type: 'integer', minimum: 0 }, LOW: { type: 'integer', minimum: 0 } },
      default: { HIGH: 14, LOW: 30 },
    },
    nested: { type: 'object', properties: { inner: { type: 'string', default: 'x' } } },
    list: { type: 'array', items: { type: 'string' }, default: ['a', 'b'] },
  },
};

describe('resolveParameters', () => {
  it('fills top-level defaults', () => {
    const r = resolveParameters(schema, {});
    expect(r).toEqual({ ok: true, params: { severity: 'HIGH', days: { HIGH: 14, LOW: 30 }, list: ['a', 'b'] } });
  });

  it('treats undefined and null as no parameters', () => {
    expect(resolveParameters(schema, undefined)).toEqual(resolveParameters(schema, {}));
    expect(resolveParameters(schema, null)).toEqual(resolveParameters(schema, {}));
  });

  it('merges a given object over its object default, key by key', () => {
    const r = resolveParameters(schema, { days: { HIGH: 3 } });
    expect(r.ok && r.params.days).toEqual({ HIGH: 3, LOW: 30 });
  });

  it('fills defaults of nested object properties when the object is given', () => {
    const r = resolveParameters(schema, { nested: {} });
    expect(r.ok && r.params.nested).toEqual({ inner: 'x' });
  });

  it('replaces array defaults rather than merging them', () => {
    const r = resolveParameters(schema, { list: ['z'] });
    expect(r.ok && r.params.list).toEqual(['z']);
  });

  it('never changes the given object and returns a deeply frozen result', () => {
    const given = { days: { HIGH: 3 } };
    const r = resolveParameters(schema, given);
    expect(given).toEqual({ days: { HIGH: 3 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.isFrozen(r.params)).toBe(true);
    expect(Object.isFrozen((r.params as { days: object }).days)).toBe(true);
    expect((r.params as { days: object }).days).not.toBe(given.days);
  });

  it('never hands out the default objects of the schema, and freezes what it shares', () => {
    const a = resolveParameters(schema, {});
    const b = resolveParameters(schema, {});
    const days = a.ok ? (a.params as { days: Record<string, number> }).days : undefined;
    expect(days).toEqual(schema.properties.days.default);
    expect(days).not.toBe(schema.properties.days.default);
    expect(Object.isFrozen(days)).toBe(true);
    expect(Object.isFrozen(schema.properties.days.default)).toBe(false);
    // Equal parameters resolve once: the same frozen result.
    expect(b).toBe(a);
  });

  it.each([
    [{ severity: 'SEVERE' }, [{ instancePath: '/severity', message: 'must be one of "LOW", "MEDIUM", "HIGH", "CRITICAL"' }]],
    [{ sevrity: 'HIGH' }, [{ instancePath: '', message: 'must not have the property "sevrity"' }]],
    [{ days: { HIGH: -1 } }, [{ instancePath: '/days/HIGH', message: 'must be >= 0' }]],
    [{ days: { URGENT: 1 } }, [{ instancePath: '/days', message: 'must not have the property "URGENT"' }]],
    [{ list: 'a' }, [{ instancePath: '/list', message: 'must be array' }]],
    ['HIGH', [{ instancePath: '', message: 'must be object' }]],
  ])('reports %j as %j', (given, errors) => {
    expect(resolveParameters(schema, given)).toEqual({ ok: false, errors });
  });

  it('collects every error, sorted by path', () => {
    const r = resolveParameters(schema, { severity: 'X', days: { HIGH: 'soon' }, extra: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.instancePath)).toEqual(['', '/days/HIGH', '/severity']);
  });

  it('reports a schema that does not compile instead of throwing', () => {
    const r = resolveParameters({ type: 'object', properties: { a: { type: 'nonsense' } } }, {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].instancePath).toBe('');
    expect(r.errors[0].message).toMatch(/^cannot be checked: the parameter schema is invalid/);
  });

  it('checks formats (ajv-formats)', () => {
    const r = resolveParameters({ type: 'object', properties: { d: { type: 'string', format: 'date' } } }, { d: '2026-13-45' });
    expect(r).toEqual({ ok: false, errors: [{ instancePath: '/d', message: 'must match format "date"' }] });
  });

  it('applyDefaults leaves non-object values alone', () => {
    expect(applyDefaults(schema, 'text')).toBe('text');
    expect(applyDefaults({ default: 5 }, undefined)).toBe(5);
  });
});

describe('built-in parameter defaults are the contract', () => {
  const defaults = (name: string) => {
    const r = resolveParameters(builtinPolicies[name].meta.parameters, {});
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.params;
  };
  it.each([
    ['sbom-present', {}],
    ['sbom-ntia-minimum', { requireSupplier: true }],
    ['sbom-banned-licenses', { licenses: ['AGPL-1.0-only', 'AGPL-1.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'] }],
    ['vulnerabilities', { severity: 'HIGH', unknownAs: 'HIGH' }],
    ['cves-in-kev', {}],
    ['vulnerability-remediation-sla', { days: { CRITICAL: 7, HIGH: 14, MEDIUM: 14, LOW: 14 } }],
    ['artifact-signed', {}],
    ['slsa-provenance', { level: 1 }],
    ['sarif-findings', { level: 'error', max: 0 }],
    ['tests-passed', { min: 1 }],
    ['scorecard', { min: 7 }],
    ['secrets-scan', {}],
    ['branch-protection', { reviews: 1, enforceAdmins: true }],
    ['commits-signed', {}],
  ])('%s defaults to %j', (name, expected) => {
    expect(defaults(name)).toEqual(expected);
  });

  it('merges remediation days with the given keys', () => {
    const r = resolveParameters(builtinPolicies['vulnerability-remediation-sla'].meta.parameters, { days: { CRITICAL: 2 } });
    expect(r.ok && r.params).toEqual({ days: { CRITICAL: 2, HIGH: 14, MEDIUM: 14, LOW: 14 } });
  });

  it.each([
    ['slsa-provenance', { level: 4 }, '/level'],
    ['sarif-findings', { level: 'info' }, '/level'],
    ['sarif-findings', { max: -1 }, '/max'],
    ['scorecard', { min: 11 }, '/min'],
    ['scorecard', { checks: { 'Code-Review': 'high' } }, '/checks/Code-Review'],
    ['commits-signed', { since: 'fortnightly' }, '/since'],
    ['sbom-present', { format: 'swid' }, '/format'],
    ['artifact-signed', { key: 'k.pem' }, ''],
  ])('%s rejects %j at %s', (name, given, path) => {
    const r = resolveParameters(builtinPolicies[name].meta.parameters, given);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.instancePath)).toContain(path);
  });

  it('accepts periodicities for commits-signed since', () => {
    for (const since of ['P90D', 'monthly', 'Yearly', 'PT12H', 'P1Y2M']) {
      expect(resolveParameters(builtinPolicies['commits-signed'].meta.parameters, { since }).ok).toBe(true);
    }
  });
});

describe('precompiled parameter validators', () => {
  it('are current, so no run compiles a built-in schema again (run `npm run schemas` after a change)', () => {
    expect(readFileSync(path.join(repoRoot, 'src/policies/parameter-validators.generated.ts'), 'utf8')).toBe(parameterValidatorModule());
    for (const [name, policy] of Object.entries(builtinPolicies)) expect(generated.digests[name as keyof typeof generated.digests], name).toBe(parameterSchemaDigest(policy.meta.parameters));
  });

  it('give what a validator compiled at run time gives, for good and bad parameters of every built-in', () => {
    const ajv = parameterAjv();
    const samples: unknown[] = [{}, { nope: 1 }, { days: { HIGH: -1 } }, { severity: 'SEVERE' }, { minimumScore: 'high' }, { since: 3 }, { format: 'pdf' }, { maxAge: [] }, []];
    for (const [name, policy] of Object.entries(builtinPolicies)) {
      const precompiled = generated.validators[name as keyof typeof generated.validators] as unknown as ((data: unknown) => boolean) & { errors?: unknown };
      const compiled = ajv.compile(policy.meta.parameters);
      for (const sample of samples) {
        const params = applyDefaults(policy.meta.parameters, sample);
        expect(precompiled(params), `${name} ${JSON.stringify(sample)}`).toBe(compiled(params));
        expect(precompiled.errors ?? null).toEqual(compiled.errors ?? null);
      }
    }
  });

  it('serve only the schema they were made from', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    const accepting = () => true;
    usePrecompiled(schema, accepting, 'the digest of another schema');
    expect(resolveParameters(schema, { n: 'x' }).ok).toBe(false); // compiled at run time
    const other = { type: 'object', properties: { m: { type: 'integer' } } };
    usePrecompiled(other, accepting, parameterSchemaDigest(other));
    expect(resolveParameters(other, { m: 'x' }).ok).toBe(true); // the validator given
  });
});
