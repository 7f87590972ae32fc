// evident's JUnit XML, checked the way a JUnit consumer reads it: parsed with
// fast-xml-parser and held to the rules of the Jenkins xUnit plugin's
// junit-10.xsd (jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/
// plugins/xunit/types/model/xsd/junit-10.xsd; Surefire-compatible). No JUnit
// XSD ships in node_modules and there is no XSD validator here, so the schema's
// rules are restated below as a table: allowed and required attributes, allowed
// children, text content, and the SUREFIRE_TIME pattern. The counts on every
// suite are also checked against its test cases.
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { toJunit } from '../../src/export/junit.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { repoRoot } from '../helpers.ts';

interface ElementRule {
  required?: string[];
  optional?: string[];
  children?: string[];
  /** Text content allowed (mixed or xs:string). */
  text?: boolean;
  patterns?: Record<string, RegExp>;
}

// SUREFIRE_TIME: (([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)? — anchored, as XSD patterns are.
const surefireTime = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;
const rerun: ElementRule = { required: ['type'], optional: ['message'], children: ['stackTrace', 'system-out', 'system-err'], text: true };
const junit10: Record<string, ElementRule> = {
  testsuites: { optional: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'], patterns: { time: surefireTime } },
  testsuite: {
    required: ['name', 'tests', 'failures', 'errors'],
    optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    patterns: { time: surefireTime },
  },
  testcase: { required: ['name'], optional: ['time', 'classname', 'group'], children: ['skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'flakyFailure', 'flakyError', 'system-out', 'system-err'] },
  failure: { optional: ['type', 'message'], text: true },
  error: { optional: ['type', 'message'], text: true },
  skipped: { optional: ['type', 'message'], text: true },
  properties: { children: ['property'] },
  property: { required: ['name', 'value'] },
  'system-out': { text: true },
  'system-err': { text: true },
  stackTrace: { text: true },
  rerunFailure: rerun,
  rerunError: rerun,
  flakyFailure: rerun,
  flakyError: rerun,
};

type Node = Record<string, unknown>;

/** The document in document order: [{ tag: [children…], ':@': { attr: value } }, { '#text': … }]. */
function parse(xml: string): Node[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: false, processEntities: true });
  return parser.parse(xml) as Node[];
}

const tagOf = (node: Node) => Object.keys(node).find((k) => k !== ':@')!;
const attrsOf = (node: Node) => (node[':@'] ?? {}) as Record<string, string>;
const childrenOf = (node: Node) => (node[tagOf(node)] as Node[]).filter((c) => tagOf(c) !== '#text');

/** Every breach of the junit-10.xsd rules, as `path: problem`. */
function schemaProblems(xml: string): string[] {
  const problems: string[] = [];
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return [`not well-formed: ${valid.err.msg} (line ${valid.err.line})`];
  const top = parse(xml).filter((n) => !['?xml', '#text'].includes(tagOf(n)));
  if (top.length !== 1 || !['testsuites', 'testsuite'].includes(tagOf(top[0]))) problems.push('the root is not one testsuites or testsuite element');
  const walk = (node: Node, where: string) => {
    const tag = tagOf(node);
    const rule = junit10[tag];
    if (!rule) return void problems.push(`${where}: element <${tag}> is not in the schema`);
    const attrs = attrsOf(node);
    for (const name of rule.required ?? []) if (!(name in attrs)) problems.push(`${where}: missing required attribute ${name}`);
    for (const [name, value] of Object.entries(attrs)) {
      if (![...(rule.required ?? []), ...(rule.optional ?? [])].includes(name)) problems.push(`${where}: attribute ${name} is not allowed on <${tag}>`);
      const pattern = rule.patterns?.[name];
      if (pattern && !pattern.test(value)) problems.push(`${where}: ${name}="${value}" does not match ${pattern}`);
    }
    for (const child of node[tag] as Node[]) {
      const childTag = tagOf(child);
      if (childTag === '#text') {
        if (!rule.text && String(child['#text']).trim()) problems.push(`${where}: text is not allowed in <${tag}>`);
      } else if (!(rule.children ?? []).includes(childTag)) {
        problems.push(`${where}: <${childTag}> is not allowed in <${tag}>`);
      } else {
        walk(child, `${where}/${childTag}${attrsOf(child).name ? `[${attrsOf(child).name}]` : ''}`);
      }
    }
  };
  for (const root of top) walk(root, tagOf(root));
  return problems;
}

/** The counts each suite declares against its test cases (tests, failures, errors, skipped), and the totals. */
function countProblems(xml: string): string[] {
  const problems: string[] = [];
  const root = parse(xml).find((n) => tagOf(n) === 'testsuites')!;
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of childrenOf(root)) {
    const cases = childrenOf(suite).filter((c) => tagOf(c) === 'testcase');
    const actual = {
      tests: cases.length,
      failures: cases.filter((c) => childrenOf(c).some((x) => tagOf(x) === 'failure')).length,
      errors: cases.filter((c) => childrenOf(c).some((x) => tagOf(x) === 'error')).length,
      skipped: cases.filter((c) => childrenOf(c).some((x) => tagOf(x) === 'skipped')).length,
    };
    for (const [key, n] of Object.entries(actual) as [keyof typeof totals, number][]) {
      totals[key] += n;
      const declared = attrsOf(suite)[key];
      if (declared !== undefined && Number(declared) !== n) problems.push(`testsuite ${attrsOf(suite).name}: ${key}="${declared}" but ${n} test cases`);
    }
  }
  for (const [key, n] of Object.entries(totals)) {
    const declared = attrsOf(root)[key];
    if (declared !== undefined && Number(declared) !== n) problems.push(`testsuites: ${key}="${declared}" but ${n} in its suites`);
  }
  return problems;
}

const now = '2026-11-22T00:00:00.000Z';
let report: Report;
let xml: string;

beforeAll(async () => {
  const { model } = await loadModel(path.join(repoRoot, 'test/fixtures/scenario'));
  ({ report } = await evaluate(model, { now, version: 'test' }));
  xml = toJunit(report);
});

describe('JUnit XML against the junit-10.xsd rules', () => {
  it('checks what it should (a broken document is caught)', () => {
    const broken = '<testsuites><testsuite name="x" tests="1"><testcase><failure/><oops/></testcase></testsuite></testsuites>';
    expect(schemaProblems(broken)).toEqual([
      'testsuites/testsuite[x]: missing required attribute failures',
      'testsuites/testsuite[x]: missing required attribute errors',
      'testsuites/testsuite[x]/testcase: missing required attribute name',
      'testsuites/testsuite[x]/testcase: <oops> is not allowed in <testcase>',
    ]);
    expect(schemaProblems('<testsuites><testsuite>')[0]).toMatch(/^not well-formed/);
  });

  it('has the elements, attributes and content the schema allows inside each test suite', () => {
    // The <testsuites> element's own attributes are checked separately below.
    const problems = schemaProblems(xml);
    expect(problems.filter((p) => !/^testsuites: attribute /.test(p))).toEqual([]);
    expect(problems.every((p) => /^testsuites: attribute (skipped|timestamp) is not allowed/.test(p))).toBe(true);
  });

  // junit.ts puts skipped= and timestamp= on <testsuites>; junit-10.xsd (and the
  // Surefire/"windyroad" JUnit.xsd) allow only name, time, tests, failures and
  // errors there. Both attributes are already on each <testsuite>, where they are
  // allowed. Marked `fails` until junit.ts drops them; then remove `.fails`.
  it('allows only name, time, tests, failures and errors on <testsuites>', () => {
    expect(schemaProblems(xml)).toEqual([]);
  });

  it('declares counts that match its test cases', () => {
    expect(countProblems(xml)).toEqual([]);
  });

  it('has one test case per result, failing, skipping or noting as SPEC section 9 says', () => {
    const root = parse(xml).find((n) => tagOf(n) === 'testsuites')!;
    const cases = childrenOf(childrenOf(root)[0]).filter((c) => tagOf(c) === 'testcase');
    const results = report.products[0].results;
    expect(cases).toHaveLength(results.length);
    const outcome = (c: Node) => childrenOf(c).map(tagOf).join(',') || 'pass';
    const expected: Record<string, string> = { PASSED: 'pass', GRACE: 'system-out', FAILED: 'failure', MISSING: 'failure', EXPIRED: 'failure', EXCEPTION: 'skipped', NOT_APPLICABLE: 'skipped', INACTIVE: 'skipped' };
    expect(cases.map(outcome)).toEqual(results.map((r) => expected[r.status]));
    const failure = childrenOf(cases[results.findIndex((r) => r.requirement === 'product-review')])[0];
    expect(attrsOf(failure).type).toBe('FAILED');
  });

  it('stays well-formed and valid with hostile content, which reads back as written', () => {
    const hostile = structuredClone(report);
    const r = hostile.products[0].results.find((x) => x.status === 'FAILED')!;
    r.requirement = `a<b>&"c'\u0001]]>`;
    r.parts[0].message = '</failure><system-err>injected</system-err>';
    const out = toJunit(hostile);
    expect(schemaProblems(out).filter((p) => !/^testsuites: attribute /.test(p))).toEqual([]);
    expect(countProblems(out)).toEqual([]);
    const root = parse(out).find((n) => tagOf(n) === 'testsuites')!;
    const names = childrenOf(childrenOf(root)[0]).map((c) => attrsOf(c).name);
    expect(names).toContain(`a<b>&"c'\uFFFD]]>`);
    expect(out).not.toContain('<system-err>');
  });
});
