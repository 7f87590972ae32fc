// vulnerabilities, cves-in-kev and vulnerability-remediation-sla: merging, severities, VEX, first seen.
import { describe, expect, it } from 'vitest';
import type { VexStatement } from '../../src/evidence/types.ts';
import { policy as kev } from '../../src/policies/builtin/cves-in-kev.ts';
import { firstSeen, policy as sla } from '../../src/policies/builtin/vulnerability-remediation-sla.ts';
import { policy as vulnerabilities } from '../../src/policies/builtin/vulnerabilities.ts';
import { collectVex, mergeFindings, packagesMatch, sameFinding, type Finding } from '../../src/policies/shared/findings.ts';
import { parsePurl } from '../../src/policies/shared/purl.ts';
import { instantMillis, WeightedMemo } from '../../src/policies/shared/common.ts';
import { input, item, run, scanItem, vuln } from './helpers.ts';

const lodash = { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' };
const minimist = { name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' };

function vexItem(statements: VexStatement[], overrides = {}) {
  return item('openvex', { vex: { statements } }, overrides);
}
function statement(vulnerability: string, status: VexStatement['status'], products: string[] = [], extra: Partial<VexStatement> = {}): VexStatement {
  return { vulnerability, aliases: [], products, status, ...extra };
}

describe('purl', () => {
  it('parses and ignores qualifiers and subpath', () => {
    expect(parsePurl('pkg:npm/%40scope/name@1.0.0?arch=x86#sub/path')).toEqual({ type: 'npm', namespace: '@scope', name: 'name', version: '1.0.0' });
    expect(parsePurl('pkg:maven/org.apache/log4j-core@2.14.1')).toEqual({ type: 'maven', namespace: 'org.apache', name: 'log4j-core', version: '2.14.1' });
    expect(parsePurl('pkg:golang/github.com/x/y')).toEqual({ type: 'golang', namespace: 'github.com/x', name: 'y' });
    expect(parsePurl('lodash@1')).toBeUndefined();
  });

  it.each([
    [{ purl: 'pkg:npm/a@1?x=y' }, { purl: 'pkg:npm/a@1' }, true],
    [{ purl: 'pkg:npm/a@1' }, { purl: 'pkg:npm/a@2' }, false],
    [{ purl: 'pkg:npm/a@1' }, { name: 'a', version: '1' }, true],
    [{ purl: 'pkg:maven/org.x/a@1' }, { name: 'org.x:a', version: '1' }, true],
    [{ name: 'a', version: '1' }, { name: 'a', version: '2' }, false],
    [{ name: 'a' }, { name: 'b' }, false],
    [undefined, undefined, true],
    [{ name: 'a' }, undefined, false],
  ])('packagesMatch(%j, %j) = %s', (a, b, expected) => {
    expect(packagesMatch(a, b)).toBe(expected);
  });
});

describe('vulnerabilities', () => {
  it('passes when nothing reaches the threshold', () => {
    const scan = scanItem('grype', [vuln('CVE-2020-1', 'MEDIUM', lodash)]);
    expect(run(vulnerabilities, input([scan]))).toEqual({ status: 'PASSED', violations: [], reason: '1 finding in 1 scan; 0 resolved by VEX; 1 below HIGH' });
  });

  it('fails on a finding at or above the threshold and names it', () => {
    const scan = scanItem('grype', [vuln('GHSA-35jh-r3h4-6jhm', 'HIGH', lodash, { aliases: ['CVE-2021-23337'], fixedVersions: ['4.17.21'] }), vuln('CVE-2021-44906', 'CRITICAL', minimist)]);
    const v = run(vulnerabilities, input([scan]));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual(['CVE-2021-23337 (HIGH) in lodash@4.17.20 (also GHSA-35jh-r3h4-6jhm); fixed in 4.17.21', 'CVE-2021-44906 (CRITICAL) in minimist@1.2.5']);
  });

  it.each([
    ['LOW', 3],
    ['MEDIUM', 2],
    ['HIGH', 1],
    ['CRITICAL', 0],
  ])('counts findings at or above %s', (severity, count) => {
    const scan = scanItem('trivy', [vuln('CVE-1', 'LOW', lodash), vuln('CVE-2', 'MEDIUM', lodash), vuln('CVE-3', 'HIGH', lodash)]);
    expect(run(vulnerabilities, input([scan]), { severity }).violations).toHaveLength(count);
  });

  it('maps UNKNOWN to unknownAs, and raw words (negligible, moderate) to their level', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'UNKNOWN', lodash), vuln('CVE-2', 'UNKNOWN', lodash, { rawSeverity: 'Negligible' }), vuln('CVE-3', 'UNKNOWN', lodash, { rawSeverity: 'moderate' })]);
    expect(run(vulnerabilities, input([scan])).violations).toEqual(['CVE-1 (HIGH, severity unknown) in lodash@4.17.20']);
    expect(run(vulnerabilities, input([scan]), { unknownAs: 'LOW' }).violations).toEqual([]);
    expect(run(vulnerabilities, input([scan]), { severity: 'MEDIUM', unknownAs: 'LOW' }).violations).toEqual(['CVE-3 (MEDIUM) in lodash@4.17.20']);
  });

  it('merges the same vulnerability from two scanners (by alias and package) into one violation', () => {
    const grype = scanItem('grype', [vuln('GHSA-35jh-r3h4-6jhm', 'HIGH', lodash, { aliases: ['CVE-2021-23337'] })]);
    const trivy = scanItem('trivy', [vuln('CVE-2021-23337', 'MEDIUM', { name: 'lodash', version: '4.17.20' })]);
    const v = run(vulnerabilities, input([grype, trivy]));
    expect(v.violations).toEqual(['CVE-2021-23337 (HIGH) in lodash@4.17.20 (also GHSA-35jh-r3h4-6jhm)']);
    expect(v.reason).toBe('1 finding in 2 scans; 0 resolved by VEX; 0 below HIGH');
  });

  it('keeps the same id in different packages apart', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash), vuln('CVE-1', 'HIGH', minimist)]);
    expect(mergeFindings([scan])).toHaveLength(2);
  });

  it('resolves a finding by a VEX statement about one of its aliases (case-insensitive)', () => {
    const scan = scanItem('grype', [vuln('GHSA-35jh-r3h4-6jhm', 'HIGH', lodash, { aliases: ['CVE-2021-23337'] })]);
    const vex = vexItem([statement('cve-2021-23337', 'not_affected', [], { justification: 'vulnerable_code_not_in_execute_path' })]);
    expect(run(vulnerabilities, input([scan], { supporting: [vex] }))).toEqual({ status: 'PASSED', violations: [], reason: '1 finding in 1 scan; 1 resolved by VEX; 0 below HIGH' });
  });

  it('resolves by a statement alias', () => {
    const scan = scanItem('grype', [vuln('CVE-2021-23337', 'HIGH', lodash)]);
    const vex = vexItem([statement('GHSA-35jh-r3h4-6jhm', 'fixed', [], { aliases: ['CVE-2021-23337'] })]);
    expect(run(vulnerabilities, input([scan], { supporting: [vex] })).status).toBe('PASSED');
  });

  it('resolves by product purl, ignoring qualifiers, and only for that product', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash), vuln('CVE-1', 'HIGH', minimist)]);
    const vex = vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.20?repository_url=https://registry.npmjs.org'])]);
    expect(run(vulnerabilities, input([scan], { supporting: [vex] })).violations).toEqual(['CVE-1 (HIGH) in minimist@1.2.5']);
  });

  it('a product without version covers every version; with another version it does not apply', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)]);
    expect(run(vulnerabilities, input([scan], { supporting: [vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash'])])] })).status).toBe('PASSED');
    expect(run(vulnerabilities, input([scan], { supporting: [vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.21'])])] })).status).toBe('FAILED');
  });

  it('matches a finding without purl to a product purl by name and version', () => {
    const scan = scanItem('trivy', [vuln('CVE-1', 'HIGH', { name: 'lodash', version: '4.17.20' })]);
    expect(run(vulnerabilities, input([scan], { supporting: [vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.20'])])] })).status).toBe('PASSED');
    expect(run(vulnerabilities, input([scan], { supporting: [vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.19'])])] })).status).toBe('FAILED');
  });

  it('a statement about the scanned image covers what was found in it', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)], {}, `ghcr.io/acme/app@${digest}`);
    const vex = vexItem([statement('CVE-1', 'not_affected', [`pkg:oci/app@${digest}?repository_url=ghcr.io/acme/app`])]);
    expect(run(vulnerabilities, input([scan], { supporting: [vex] })).status).toBe('PASSED');
  });

  it('does not resolve with affected or under_investigation', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)]);
    for (const status of ['affected', 'under_investigation'] as const) {
      expect(run(vulnerabilities, input([scan], { supporting: [vexItem([statement('CVE-1', status)])] })).status).toBe('FAILED');
    }
  });

  it('lets the newest statement for the same vulnerability and product win', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)]);
    const older = vexItem([statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.20'], { timestamp: '2026-01-01T00:00:00Z' })]);
    const newer = vexItem([statement('CVE-1', 'affected', ['pkg:npm/lodash@4.17.20'], { timestamp: '2026-01-10T00:00:00Z' })]);
    expect(run(vulnerabilities, input([scan], { supporting: [newer, older] })).status).toBe('FAILED');
    const fixedLater = vexItem([statement('CVE-1', 'fixed', ['pkg:npm/lodash@4.17.20'], { timestamp: '2026-01-20T00:00:00Z' })]);
    expect(run(vulnerabilities, input([scan], { supporting: [newer, older, fixedLater] })).status).toBe('PASSED');
    expect(collectVex([newer, older, fixedLater]).map((e) => e.status)).toEqual(['fixed']);
  });

  it('takes a statement without its own timestamp at its file timestamp', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)]);
    const a = vexItem([statement('CVE-1', 'not_affected')], { timestamp: '2026-01-05T00:00:00Z' });
    const b = vexItem([statement('CVE-1', 'affected')], { timestamp: '2026-01-02T00:00:00Z' });
    expect(run(vulnerabilities, input([scan], { supporting: [a, b] })).status).toBe('PASSED');
  });

  it('reads VEX carried by a primary CycloneDX document (analysis on a BOM with components)', () => {
    const bom = item('cyclonedx', { scan: { scanner: 'cyclonedx', vulnerabilities: [vuln('CVE-1', 'CRITICAL', lodash)] }, vex: { statements: [statement('CVE-1', 'not_affected', ['pkg:npm/lodash@4.17.20'])] } });
    expect(run(vulnerabilities, input([bom])).status).toBe('PASSED');
  });

  it('is SKIPPED without a scan, naming the kinds', () => {
    const sbomOnly = item('cyclonedx', {});
    expect(run(vulnerabilities, input([sbomOnly]))).toEqual({
      status: 'SKIPPED',
      violations: [],
      reason: 'No vulnerability scan to read (evidence kinds: grype, trivy, osv-scanner, npm-audit or cyclonedx with vulnerabilities).',
    });
  });

  it('passes a clean scan', () => {
    expect(run(vulnerabilities, input([scanItem('osv-scanner', [])])).status).toBe('PASSED');
  });
});

describe('cves-in-kev', () => {
  const catalog = item('kev', { kev: { version: '2026.01.05', cves: ['CVE-2021-44228', 'CVE-2021-23337'] } }, { path: 'evidence/_shared/kev.json', project: null });
  const log4j = { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' };

  it('fails when a found CVE (id or alias) is in the catalog', () => {
    const scan = scanItem('grype', [vuln('CVE-2021-44228', 'CRITICAL', log4j), vuln('GHSA-x', 'LOW', lodash, { aliases: ['CVE-2021-23337'] }), vuln('CVE-2020-0001', 'HIGH', minimist)]);
    const v = run(kev, input([scan], { supporting: [catalog] }));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual(['CVE-2021-23337 in lodash@4.17.20 is in the KEV catalog (known exploited)', 'CVE-2021-44228 in log4j-core@2.14.1 is in the KEV catalog (known exploited)']);
  });

  it('passes when no CVE is in the catalog', () => {
    const scan = scanItem('grype', [vuln('CVE-2020-0001', 'HIGH', minimist)]);
    expect(run(kev, input([scan], { supporting: [catalog] }))).toEqual({ status: 'PASSED', violations: [], reason: '1 finding checked against the KEV catalog 2026.01.05 (2 CVEs)' });
  });

  it('is SKIPPED without a KEV catalog, saying so', () => {
    const scan = scanItem('grype', [vuln('CVE-2021-44228', 'CRITICAL', log4j)]);
    const v = run(kev, input([scan]));
    expect(v.status).toBe('SKIPPED');
    expect(v.reason).toMatch(/^No KEV catalog among the evidence/);
  });

  it('is SKIPPED without a scan', () => {
    expect(run(kev, input([], { supporting: [catalog] })).status).toBe('SKIPPED');
  });

  it('does not count a KEV finding that VEX resolves, and notes it', () => {
    const scan = scanItem('grype', [vuln('CVE-2021-44228', 'CRITICAL', log4j)]);
    const vex = vexItem([statement('CVE-2021-44228', 'not_affected', ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'])], { path: 'evidence/app/vex.json' });
    const v = run(kev, input([scan], { supporting: [catalog, vex] }));
    expect(v.status).toBe('PASSED');
    expect(v.reason).toContain('1 KEV finding resolved by VEX: CVE-2021-44228 in log4j-core@2.14.1 (not_affected, evidence/app/vex.json)');
  });
});

describe('vulnerability-remediation-sla', () => {
  const at = '2026-03-01T00:00:00Z';
  const point = (timestamp: string, ids: string[]) => ({ timestamp, primary: [scanItem('grype', ids.map((id) => vuln(id, 'HIGH', lodash)), { timestamp })] });

  it('counts from the oldest point of the unbroken sequence that ends now', () => {
    // CVE-1: present, absent, present, present → first seen at the third point.
    const history = [point('2026-01-01T00:00:00Z', ['CVE-1']), point('2026-01-15T00:00:00Z', []), point('2026-02-10T00:00:00Z', ['CVE-1']), point('2026-02-20T00:00:00Z', ['CVE-1'])];
    const current = history[history.length - 1].primary;
    const v = run(sla, input(current, { at, history }));
    expect(v.status).toBe('FAILED');
    expect(v.violations).toEqual(['CVE-1 (HIGH) in lodash@4.17.20: open 19 days since 2026-02-10T00:00:00Z, over the 14-day limit for HIGH']);
  });

  it('passes while within the limit; exactly the limit is not over', () => {
    const history = [point('2026-02-15T00:00:00Z', ['CVE-1']), point('2026-02-20T00:00:00Z', ['CVE-1'])];
    const current = history[1].primary;
    expect(run(sla, input(current, { at: '2026-03-01T00:00:00Z', history })).status).toBe('PASSED');
    expect(run(sla, input(current, { at: '2026-03-01T00:00:01Z', history })).status).toBe('FAILED');
  });

  it('uses days per severity, merged with the given keys', () => {
    const history = [{ timestamp: '2026-02-20T00:00:00Z', primary: [scanItem('grype', [vuln('CVE-C', 'CRITICAL', lodash), vuln('CVE-M', 'MEDIUM', minimist)])] }];
    const current = history[0].primary;
    expect(run(sla, input(current, { at, history })).violations).toEqual(['CVE-C (CRITICAL) in lodash@4.17.20: open 9 days since 2026-02-20T00:00:00Z, over the 7-day limit for CRITICAL']);
    expect(run(sla, input(current, { at, history }), { days: { MEDIUM: 5 } }).violations).toHaveLength(2);
    expect(run(sla, input(current, { at, history }), { days: { CRITICAL: 30 } }).status).toBe('PASSED');
  });

  it('follows a vulnerability across scanners by alias', () => {
    const history = [
      { timestamp: '2026-01-01T00:00:00Z', primary: [scanItem('trivy', [vuln('CVE-1', 'HIGH', { name: 'lodash', version: '4.17.20' })])] },
      { timestamp: '2026-02-25T00:00:00Z', primary: [scanItem('grype', [vuln('GHSA-1', 'HIGH', lodash, { aliases: ['CVE-1'] })])] },
    ];
    const v = run(sla, input(history[1].primary, { at, history }));
    expect(v.violations).toEqual(['CVE-1 (HIGH) in lodash@4.17.20 (also GHSA-1): open 59 days since 2026-01-01T00:00:00Z, over the 14-day limit for HIGH']);
  });

  it('ignores findings resolved by VEX', () => {
    const history = [point('2026-01-01T00:00:00Z', ['CVE-1']), point('2026-02-20T00:00:00Z', ['CVE-1'])];
    const vex = vexItem([statement('CVE-1', 'not_affected')]);
    expect(run(sla, input(history[1].primary, { at, history, supporting: [vex] })).status).toBe('PASSED');
  });

  it('works without history (first seen = the current scan)', () => {
    const scan = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)], { timestamp: '2026-02-20T00:00:00Z' });
    expect(run(sla, input([scan], { at, history: [] })).status).toBe('PASSED');
    const old = scanItem('grype', [vuln('CVE-1', 'HIGH', lodash)], { timestamp: '2026-01-01T00:00:00Z' });
    expect(run(sla, input([old], { at, history: [] })).violations).toEqual(['CVE-1 (HIGH) in lodash@4.17.20: open 59 days since 2026-01-01T00:00:00Z, over the 14-day limit for HIGH']);
  });

  it('is SKIPPED without a scan', () => {
    expect(run(sla, input([], { at })).status).toBe('SKIPPED');
  });

  it('finds first-seen times exactly as the definition does, across written-alike, aliased and incomparable findings', () => {
    // The definition: the oldest point of the unbroken run of points, ending with the last, holding a finding the same as f.
    const byDefinition = (f: Finding, points: { timestamp: string; findings: Finding[] }[]) => {
      let first: string | undefined;
      for (let i = points.length - 1; i >= 0 && points[i].findings.some((g) => sameFinding(f, g)); i--) first = points[i].timestamp;
      return first;
    };
    const finding = (ids: string[], pkg?: Finding['package']): Finding => ({ ids, id: ids[0] ?? '', severity: 'HIGH', fixedVersions: [], scanners: [], targets: [], sources: [], ...(pkg ? { package: pkg } : {}) });
    const kinds = [
      finding(['CVE-1'], { purl: 'pkg:npm/lodash@4.17.20' }),
      finding(['CVE-1', 'GHSA-1'], { name: 'lodash', version: '4.17.20' }),
      finding(['cve-1'], { name: 'lodash' }),
      finding(['CVE-2'], { purl: 'not a purl' }), // the same as nothing, not even itself
      finding(['CVE-2'], { purl: 'not a purl' }),
      finding([], { name: 'x' }),
      finding(['CVE-3']),
      finding(['CVE-3'], { name: 'y', version: '1' }),
      finding(['CVE-3'], { name: 'y', version: '2' }),
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const points = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => ({
        timestamp: `2026-01-0${i + 1}T00:00:00Z`,
        findings: kinds.filter(() => random() < 0.5).map((f) => ({ ...f })), // copies, as each scan gives its own objects
      }));
      for (const f of kinds) expect(firstSeen(f, points)).toBe(byDefinition(f, points));
    }
    // As the runner asks: the same point objects, one prefix per evaluation time, in any order.
    for (let round = 0; round < 50; round++) {
      const points = Array.from({ length: 2 + Math.floor(random() * 7) }, (_, i) => ({
        timestamp: `2026-01-0${i + 1}T00:00:00Z`,
        findings: kinds.filter(() => random() < 0.6).map((f) => ({ ...f })),
      }));
      const ends = points.map((_, i) => i + 1).sort(() => random() - 0.5);
      for (const end of [...ends, ...ends]) {
        const prefix = points.slice(0, end);
        for (const f of kinds) expect(firstSeen(f, prefix)).toBe(byDefinition(f, prefix));
      }
      // The same point objects in another order, or after another first point.
      const swapped = [points[points.length - 1], ...points.slice(1)].map((p, i) => ({ ...p, timestamp: points[i].timestamp }));
      for (const f of kinds) expect(firstSeen(f, swapped)).toBe(byDefinition(f, swapped));
      const other = [{ timestamp: points[0].timestamp, findings: [] as Finding[] }, ...points.slice(1)];
      for (const f of kinds) expect(firstSeen(f, other)).toBe(byDefinition(f, other));
    }
  });

  it('judges findings kept under inputKey at each evaluation time as if read afresh', () => {
    const history = [point('2026-02-10T00:00:00Z', ['CVE-1']), point('2026-02-20T00:00:00Z', ['CVE-1'])];
    const current = history[1].primary;
    const times = ['2026-02-21T00:00:00Z', '2026-02-24T00:00:00Z', '2026-02-24T00:00:01Z', '2026-03-20T00:00:00Z'];
    const fresh = times.map((t) => run(sla, input(current, { at: t, history })));
    const kept = times.map((t) => run(sla, input(current, { at: t, history, inputKey: 'project p, these runs' })));
    expect(kept).toEqual(fresh);
    expect(kept.map((v) => v.status)).toEqual(['PASSED', 'PASSED', 'FAILED', 'FAILED']);
    expect(kept[3].violations).toEqual(['CVE-1 (HIGH) in lodash@4.17.20: open 38 days since 2026-02-10T00:00:00Z, over the 14-day limit for HIGH']);
  });
});

describe('WeightedMemo (the bound of the findings memos)', () => {
  it('keeps what it holds under its weight, oldest out first, and counts a replaced value once', () => {
    const memo = new WeightedMemo<number[]>(5, (v) => v.length);
    memo.set('a', [1, 2]);
    memo.set('b', [1, 2]);
    memo.set('a', [1]); // replaced: weight 1 + 2
    memo.set('c', [1, 2]); // 5: all fit
    expect([memo.get('a'), memo.get('b'), memo.get('c')]).toEqual([[1], [1, 2], [1, 2]]);
    memo.set('d', [1]); // 6: the oldest (b, since a moved behind it) goes
    expect(memo.get('b')).toBeUndefined();
    expect([memo.get('a'), memo.get('c'), memo.get('d')]).toEqual([[1], [1, 2], [1]]);
  });
});

describe('instantMillis (memoised)', () => {
  it('gives the same value the second time, an unparsable text stays undefined, and forms parse alike', () => {
    for (let round = 0; round < 2; round++) {
      expect(instantMillis('2026-02-10')).toBe(Date.UTC(2026, 1, 10));
      expect(instantMillis('2026-02-10T12:30')).toBe(Date.UTC(2026, 1, 10, 12, 30));
      expect(instantMillis(' 2026-02-10 12:30:15 ')).toBe(Date.UTC(2026, 1, 10, 12, 30, 15));
      expect(instantMillis('2026-02-10T12:30:00+02:00')).toBe(Date.UTC(2026, 1, 10, 10, 30));
      expect(instantMillis('not a date')).toBeUndefined();
      expect(instantMillis(undefined)).toBeUndefined();
    }
  });
});
