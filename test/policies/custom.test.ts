// Declarative (JSONata) content policies: normalisation, errors, time box, syntax check.
import { describe, expect, it } from 'vitest';
import type { CustomPolicy } from '../../src/model/types.ts';
import { checkCustomPolicySyntax, evaluateCustomPolicy, normalizeViolations } from '../../src/policies/custom.ts';
import { resolveParameters } from '../../src/policies/parameters.ts';
import { input, item } from './helpers.ts';

const source = { file: 'policies/no-error-findings.yaml', line: 1, column: 1 };

function customPolicy(violations: string, kinds: CustomPolicy['kinds'] = ['sarif']): CustomPolicy {
  return {
    kind: 'Policy',
    apiVersion: 'evident/v1',
    metadata: { name: 'no-error-findings', annotations: {} },
    source,
    builtin: false,
    kinds,
    parameters: { type: 'object', properties: { level: { enum: ['error', 'warning', 'note'], default: 'error' } } },
    violations,
    expressionSource: { file: source.file, line: 9, column: 5 },
  };
}

const sarifDoc = {
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'CodeQL' } }, results: [{ ruleId: 'js/sql-injection', level: 'error', message: { text: 'Query built from user input' } }, { ruleId: 'js/unused', level: 'warning', message: { text: 'Unused variable' } }] }],
};
const sarifItem = item('sarif', {}, { path: 'evidence/app/codeql.sarif', json: sarifDoc });
const limits = { policyMillis: 1000 };
const withDefaults = (p: CustomPolicy, given: Record<string, unknown> = {}) => {
  const r = resolveParameters(p.parameters, given);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.params;
};

describe('evaluateCustomPolicy', () => {
  it('runs the SPEC example with $with bound to the parameters after defaults', async () => {
    const p = customPolicy('runs.results[level = $with.level].(ruleId & ": " & message.text)');
    expect(await evaluateCustomPolicy(p, input([sarifItem]), withDefaults(p), limits)).toEqual({ status: 'FAILED', violations: ['js/sql-injection: Query built from user input'] });
    expect(await evaluateCustomPolicy(p, input([sarifItem]), withDefaults(p, { level: 'warning' }), limits)).toEqual({ status: 'FAILED', violations: ['js/unused: Unused variable'] });
    expect(await evaluateCustomPolicy(p, input([sarifItem]), withDefaults(p, { level: 'note' }), limits)).toEqual({ status: 'PASSED', violations: [] });
  });

  it.each([
    ['nothing', 'runs.results[level = "none"].ruleId', []],
    ['null', 'null', []],
    ['a string', '"one problem"', ['one problem']],
    ['an array of strings, sorted', '["b", "a"]', ['a', 'b']],
    ['objects as JSON', 'runs.results.{"rule": ruleId}', ['{"rule":"js/sql-injection"}', '{"rule":"js/unused"}']],
    ['a number', '$count(runs.results)', ['2']],
    ['a boolean', 'true', ['true']],
    ['an empty array', '[]', []],
    ['mixed array elements', '[1, "x", null, {"a": [1]}]', ['1', 'x', '{"a":[1]}']],
  ])('normalises %s', async (_title, expression, violations) => {
    const v = await evaluateCustomPolicy(customPolicy(expression), input([sarifItem]), {}, limits);
    expect(v.violations).toEqual(violations);
    expect(v.status).toBe(violations.length > 0 ? 'FAILED' : 'PASSED');
  });

  it('reads every primary document of its kinds', async () => {
    const second = item('sarif', {}, { path: 'evidence/app/eslint.sarif', json: { runs: [{ results: [{ ruleId: 'no-eval', level: 'error', message: { text: 'eval' } }] }] } });
    const p = customPolicy('runs.results[level = "error"].ruleId');
    expect((await evaluateCustomPolicy(p, input([sarifItem, second]), {}, limits)).violations).toEqual(['js/sql-injection', 'no-eval']);
  });

  it('gives $now() the evaluation time, not the clock', async () => {
    const v = await evaluateCustomPolicy(customPolicy('$now()'), input([sarifItem], { at: '2026-02-01T00:00:00Z' }), {}, limits);
    expect(v.violations).toEqual(['2026-02-01T00:00:00.000Z']);
  });

  it('is FAILED with the reason and an error when the expression throws', async () => {
    const v = await evaluateCustomPolicy(customPolicy('$error("no SARIF runs")'), input([sarifItem]), {}, limits);
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([]);
    expect(v.error?.code).toBe('policy-expression-error');
    expect(v.reason).toBe(v.error?.message);
    expect(v.reason).toMatch(/^evidence\/app\/codeql\.sarif: the expression failed: no SARIF runs/);
  });

  it('is FAILED with a type error of the expression', async () => {
    const v = await evaluateCustomPolicy(customPolicy('runs.results.ruleId + 1'), input([sarifItem]), {}, limits);
    expect(v.error?.code).toBe('policy-expression-error');
  });

  it('stops a runaway recursion by depth', async () => {
    const v = await evaluateCustomPolicy(customPolicy('($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))'), input([sarifItem]), {}, limits);
    expect(v.status).toBe('FAILED');
    expect(v.error).toEqual({ code: 'policy-expression-timeout', message: 'evidence/app/codeql.sarif: the expression nests deeper than 1000 levels (a recursion that does not end?)' });
  });

  it('stops an expression that runs out of time', async () => {
    const started = Date.now();
    const v = await evaluateCustomPolicy(customPolicy('($f := function($n){ $n <= 0 ? 0 : $f($n - 1) + $f($n - 1) }; $f(60))'), input([sarifItem]), {}, { policyMillis: 200 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(v.status).toBe('FAILED');
    expect(v.error).toEqual({ code: 'policy-expression-timeout', message: 'evidence/app/codeql.sarif: the expression ran longer than 200 ms (Config.spec.limits.policyMillis)' });
  });

  it('lets a moderate recursion finish', async () => {
    const v = await evaluateCustomPolicy(customPolicy('($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(50))'), input([sarifItem]), {}, limits);
    expect(v.violations).toEqual(['50']);
  });

  it('reports a syntax error as policy-expression-syntax', async () => {
    const v = await evaluateCustomPolicy(customPolicy('runs.results[level = '), input([sarifItem]), {}, limits);
    expect(v.status).toBe('FAILED');
    expect(v.error?.code).toBe('policy-expression-syntax');
    expect(v.reason).toMatch(/^the expression does not parse: /);
  });

  it('is SKIPPED without a primary item of its kinds', async () => {
    const v = await evaluateCustomPolicy(customPolicy('"x"', ['sarif', 'junit']), input([item('gitleaks', {}, { json: [] })]), {}, limits);
    expect(v).toEqual({ status: 'SKIPPED', violations: [], reason: 'No sarif or junit evidence to read.' });
  });

  it('reports an item without a JSON form', async () => {
    const v = await evaluateCustomPolicy(customPolicy('"x"'), input([item('sarif', {}, { path: 'evidence/app/x.sarif' })]), {}, limits);
    expect(v.violations).toEqual(['evidence/app/x.sarif: no document to read (the reader kept no JSON form of it)']);
  });
});

describe('checkCustomPolicySyntax', () => {
  it.each([
    ['runs.results.ruleId', undefined],
    ['a ++ b', 3], // the second +
    ['foo bar', 4],
    ['runs.results[level = ', 21],
  ])('%s', (text, position) => {
    const r = checkCustomPolicySyntax(text);
    if (position === undefined) expect(r).toBeUndefined();
    else {
      expect(r?.position).toBe(position);
      expect(r?.message).toMatch(/\(S0\d+\)$/);
    }
  });
});

describe('normalizeViolations', () => {
  it('throws on a function result', () => {
    expect(() => normalizeViolations(() => 1)).toThrow(/function/);
  });
});
