// sarif-findings, tests-passed, scorecard, secrets-scan, branch-protection, commits-signed.
import { describe, expect, it } from 'vitest';
import type { SarifResult, TestCase } from '../../src/evidence/types.ts';
import { policy as branchProtection } from '../../src/policies/builtin/branch-protection.ts';
import { policy as commitsSigned } from '../../src/policies/builtin/commits-signed.ts';
import { policy as sarifFindings } from '../../src/policies/builtin/sarif-findings.ts';
import { policy as scorecard } from '../../src/policies/builtin/scorecard.ts';
import { policy as secretsScan } from '../../src/policies/builtin/secrets-scan.ts';
import { policy as testsPassed } from '../../src/policies/builtin/tests-passed.ts';
import { commit, input, item, run } from './helpers.ts';

describe('sarif-findings', () => {
  const result = (level: SarifResult['level'], ruleId: string, location: string, suppressed = false): SarifResult => ({ ruleId, level, message: `problem ${ruleId}`, suppressed, location });
  const sarif = (results: SarifResult[]) => item('sarif', { sarif: { version: '2.1.0', runs: [{ tool: 'CodeQL', results }] } }, { path: 'evidence/app/codeql.sarif' });
  const results = [result('error', 'js/sql-injection', 'src/db.ts:42'), result('warning', 'js/unused', 'src/a.ts:1'), result('note', 'js/style', 'src/b.ts:2'), result('error', 'js/xss', 'src/c.ts:3', true), result('none', 'js/info', 'src/d.ts:4')];

  it('fails on an unsuppressed error and names it', () => {
    const v = run(sarifFindings, input([sarif(results)]));
    expect(v).toEqual({
      status: 'FAILED',
      violations: ['error js/sql-injection at src/db.ts:42: problem js/sql-injection (CodeQL)'],
      reason: '1 unsuppressed result at or above error (at most 0 allowed) among 5 results; 1 suppressed',
    });
  });

  it.each([
    [{ level: 'warning' }, 2],
    [{ level: 'note' }, 3],
    [{ level: 'note', max: 3 }, 0],
    [{ level: 'note', max: 2 }, 3],
    [{ max: 1 }, 0],
  ])('with %j reports %i violations', (given, count) => {
    expect(run(sarifFindings, input([sarif(results)]), given).violations).toHaveLength(count);
  });

  it('passes a clean log and is SKIPPED without one', () => {
    expect(run(sarifFindings, input([sarif([])])).status).toBe('PASSED');
    expect(run(sarifFindings, input([])).status).toBe('SKIPPED');
  });
});

describe('tests-passed', () => {
  const junit = (tests: number, failures: number, errors: number, skipped: number, cases: TestCase[] = []) => item('junit', { tests: { tests, failures, errors, skipped, cases } }, { path: 'evidence/app/junit.xml' });

  it('passes when tests ran and none failed', () => {
    expect(run(testsPassed, input([junit(10, 0, 0, 2)]))).toEqual({ status: 'PASSED', violations: [], reason: '8 tests run, 2 skipped, in 1 report' });
  });

  it('names each failing and erroring test', () => {
    const cases: TestCase[] = [
      { name: 'adds', classname: 'MathTest', status: 'failed', message: 'expected 3 but was 4\nat line 1' },
      { name: 'boots', classname: 'AppTest', status: 'error', message: 'NullPointerException' },
      { name: 'ok', status: 'passed' },
    ];
    expect(run(testsPassed, input([junit(3, 1, 1, 0, cases)])).violations).toEqual([
      'evidence/app/junit.xml: test AppTest › boots errored: NullPointerException',
      'evidence/app/junit.xml: test MathTest › adds failed: expected 3 but was 4',
    ]);
  });

  it('reports failures counted without details', () => {
    expect(run(testsPassed, input([junit(5, 2, 0, 0)])).violations).toEqual(['evidence/app/junit.xml: 2 further failures reported without details']);
  });

  it.each([
    [junit(0, 0, 0, 0), {}, ['only 0 tests ran (skipped tests do not count); at least 1 required']],
    [junit(3, 0, 0, 3), {}, ['only 0 tests ran (skipped tests do not count); at least 1 required']],
    [junit(5, 0, 0, 0), { min: 6 }, ['only 5 tests ran (skipped tests do not count); at least 6 required']],
    [junit(5, 0, 0, 0), { min: 5 }, []],
  ])('min: %#', (report, given, violations) => {
    expect(run(testsPassed, input([report]), given).violations).toEqual(violations);
  });

  it('is SKIPPED without a report', () => {
    expect(run(testsPassed, input([]))).toEqual({ status: 'SKIPPED', violations: [], reason: 'No JUnit test report to read (evidence kind: junit).' });
  });
});

describe('scorecard', () => {
  const card = (score: number, checks: { name: string; score: number; reason?: string }[] = []) => item('scorecard', { scorecard: { repo: 'github.com/acme/app', score, checks } }, { path: 'evidence/app/scorecard.json' });
  const subject = 'github.com/acme/app (evidence/app/scorecard.json)';

  it('passes at the minimum and fails below it', () => {
    expect(run(scorecard, input([card(7)])).status).toBe('PASSED');
    expect(run(scorecard, input([card(6.9)])).violations).toEqual([`${subject}: aggregate score 6.9 is below 7`]);
  });

  it('checks named checks, case-insensitively, and a missing one', () => {
    const c = card(8, [{ name: 'Code-Review', score: 5, reason: 'found 5/10 approved changesets' }, { name: 'Maintained', score: 10 }]);
    expect(run(scorecard, input([c]), { checks: { 'code-review': 8, Maintained: 9, Fuzzing: 5 } }).violations).toEqual([
      `${subject}: check Code-Review scored 5, below 8 (found 5/10 approved changesets)`,
      `${subject}: check Fuzzing is not in the report; 5 required`,
    ]);
  });

  it('notes an inconclusive check (-1) instead of failing it', () => {
    const v = run(scorecard, input([card(8, [{ name: 'Packaging', score: -1 }])]), { checks: { Packaging: 5 } });
    expect(v).toEqual({ status: 'PASSED', violations: [], reason: `score ${subject}: 8; minimum 7; inconclusive (scored -1, not failed): Packaging (${subject})` });
  });

  it('is SKIPPED without a result', () => {
    expect(run(scorecard, input([])).status).toBe('SKIPPED');
  });
});

describe('secrets-scan', () => {
  it('fails on every finding, never printing the secret', () => {
    const report = item('gitleaks', { secrets: { findings: [{ ruleId: 'aws-access-token', file: 'config/prod.env', line: 3, commit: '0123456789abcdef', description: 'AWS key' }, { ruleId: 'generic-api-key' }] } }, { path: 'evidence/app/gitleaks.json' });
    expect(run(secretsScan, input([report])).violations).toEqual([
      'secret found by rule aws-access-token (AWS key) at config/prod.env:3 in commit 0123456',
      'secret found by rule generic-api-key at a file (evidence/app/gitleaks.json)',
    ]);
  });

  it('passes a clean report ([]) and is SKIPPED without one', () => {
    expect(run(secretsScan, input([item('gitleaks', { secrets: { findings: [] } })])).status).toBe('PASSED');
    expect(run(secretsScan, input([])).status).toBe('SKIPPED');
  });
});

describe('branch-protection', () => {
  const settings = (requiredReviews: number, enforceAdmins: boolean) => item('github-branch-protection', { branchProtection: { branch: 'main', requiredReviews, enforceAdmins } }, { path: 'evidence/app/protection.json' });
  it.each([
    [settings(1, true), {}, []],
    [settings(2, true), {}, []],
    [settings(0, true), {}, ['branch main (evidence/app/protection.json): requires 0 approving reviews; at least 1 required']],
    [settings(1, false), {}, ['branch main (evidence/app/protection.json): the rules do not apply to administrators (enforce_admins is off)']],
    [settings(1, false), { enforceAdmins: false }, []],
    [settings(1, true), { reviews: 2 }, ['branch main (evidence/app/protection.json): requires 1 approving reviews; at least 2 required']],
  ])('case %#', (evidence, given, violations) => {
    const v = run(branchProtection, input([evidence]), given);
    expect(v.violations).toEqual(violations);
    expect(v.status).toBe(violations.length > 0 ? 'FAILED' : 'PASSED');
  });

  it('is SKIPPED without settings', () => {
    expect(run(branchProtection, input([])).status).toBe('SKIPPED');
  });
});

describe('commits-signed', () => {
  const at = '2026-04-01T00:00:00Z';
  const commits = [
    commit('c3c3c3c3c3c3c3c3', '2026-03-20T10:00:00Z', true),
    commit('b2b2b2b2b2b2b2b2', '2026-03-01T10:00:00Z', false, { status: 'E', reason: "Can't check signature: No public key" }, 'Bob'),
    commit('a1a1a1a1a1a1a1a1', '2025-12-01T10:00:00Z', false),
  ];

  it('fails on every unsigned commit, naming short sha, author and git\'s reason', () => {
    const v = run(commitsSigned, input([], { at, commits }));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual([
      'commit a1a1a1a by Alice on 2025-12-01T10:00:00Z is not signed: no signature',
      "commit b2b2b2b by Bob on 2026-03-01T10:00:00Z is not signed: Can't check signature: No public key",
    ]);
  });

  it('reads only commits newer than at − since', () => {
    expect(run(commitsSigned, input([], { at, commits }), { since: 'P90D' }).violations).toEqual(["commit b2b2b2b by Bob on 2026-03-01T10:00:00Z is not signed: Can't check signature: No public key"]);
    expect(run(commitsSigned, input([], { at, commits }), { since: 'P14D' })).toEqual({ status: 'PASSED', violations: [], reason: '1 commit checked (commits after 2026-03-18T00:00:00Z)' });
  });

  it('excludes a commit exactly at the window start (date > at − window)', () => {
    const edge = [commit('d4d4d4d4', '2026-03-01T00:00:00Z', false)];
    expect(run(commitsSigned, input([], { at, commits: edge }), { since: 'monthly' }).status).toBe('PASSED');
    expect(run(commitsSigned, input([], { at: '2026-03-31T23:59:59Z', commits: edge }), { since: 'monthly' }).status).toBe('FAILED');
  });

  it('is SKIPPED without commits', () => {
    expect(run(commitsSigned, input([], { at }))).toEqual({ status: 'SKIPPED', violations: [], reason: 'No commits to read: the content root is not in a git work tree, or has no history.' });
  });
});
