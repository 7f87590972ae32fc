// The Acme Corp demo (examples/acme): it validates, it shows every status at its
// reference date, its signature verifies cryptographically, and its evidence is
// exactly what scripts/generate-demo-evidence.ts writes (byte for byte).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { statuses, type ProductReport, type RequirementResult } from '../../src/evaluate/report-types.ts';
import { loadModel } from '../../src/load/load-model.ts';
import { generateDemoEvidence, listFiles, REFERENCE_NOW } from '../../scripts/generate-demo-evidence.ts';
import { cli, repoRoot } from '../helpers.ts';

const root = path.join(repoRoot, 'examples/acme');
let product: ProductReport;

beforeAll(async () => {
  const { model } = await loadModel(root);
  // Always at the reference date: the demo is written for it.
  const { report } = await evaluate(model, { now: REFERENCE_NOW, version: 'test' });
  product = report.products[0];
});

function result(requirement: string, project: string | null): RequirementResult {
  const found = product.results.find((r) => r.requirement === requirement && r.project === project);
  if (!found) throw new Error(`no result for ${requirement} / ${project ?? '(product)'}`);
  return found;
}

describe('the Acme demo', () => {
  it('validates without errors; its only warnings are about evidence formats without a timestamp of their own', async () => {
    const { code, stdout } = await cli(['validate', '--format', 'json', '--content', root]);
    const diagnostics = (JSON.parse(stdout) as { diagnostics: { file: string; severity: string; code: string }[] }).diagnostics;
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
    // gitleaks and GitHub branch-protection reports carry no timestamp; until they are
    // committed, evident dates them by their mtime and says so (docs/demo.md). A shallow
    // clone (CI without fetch-depth: 0) is warned about once.
    for (const d of diagnostics.filter((x) => x.severity === 'warning')) {
      if (d.code === 'shallow-clone') continue;
      expect(d.code).toBe('evidence-timestamp-from-mtime');
      expect(d.file).toMatch(/^evidence\/[a-z-]+\/(gitleaks|branch-protection)\.json$/);
    }
    // The one note: Acme's no-vulnerabilities-high (with its 72 h SLA) replaces the built-in one.
    expect(diagnostics.filter((d) => d.severity === 'note').map((d) => d.code)).toEqual(['builtin-replaced']);
  });

  it('shows every status at the reference date', () => {
    expect(product.name).toBe('acme-platform');
    for (const status of statuses) expect(product.counts[status], status).toBeGreaterThan(0);
    const table = (
      [
        ['container-signed', 'payments-api'],
        ['no-vulnerabilities-high', 'web-console'],
        ['static-analysis-clean', 'acme-cli'],
        ['backup-restore-test', null],
        ['penetration-test', null],
        ['openssf-scorecard', 'payments-api'],
        ['business-continuity-plan', null],
        ['sbom-compliance', 'acme-cli'],
        ['minimal-base-images', 'payments-api'],
        ['container-signed', 'acme-cli'],
        ['acme-vpn-access-recertification', null],
        ['branch-protection', 'web-console'],
      ] as const
    ).map(([q, p]) => {
      const r = result(q, p);
      return `${q} ${p ?? '-'} ${r.status}${r.underlying ? ` (${r.underlying})` : ''}${r.overridden ? ' overridden' : ''}`;
    });
    expect(table).toEqual([
      'container-signed payments-api PASSED',
      'no-vulnerabilities-high web-console GRACE',
      'static-analysis-clean acme-cli EXPIRED',
      'backup-restore-test - EXPIRED',
      'penetration-test - MISSING',
      'openssf-scorecard payments-api MISSING',
      'business-continuity-plan - FAILED',
      'sbom-compliance acme-cli FAILED',
      'minimal-base-images payments-api EXCEPTION (FAILED)',
      'container-signed acme-cli NOT_APPLICABLE',
      'acme-vpn-access-recertification - INACTIVE',
      'branch-protection web-console PASSED overridden',
    ]);
  });

  it('explains GRACE, EXPIRED and the expired exception', () => {
    const grace = result('no-vulnerabilities-high', 'web-console').parts.find((p) => p.name === 'vulnerabilities')!;
    expect(grace).toMatchObject({ status: 'GRACE', graceUntil: '2026-11-17T02:10:00.000Z' });
    expect(grace.evaluation?.firstFailure).toBe('2026-11-14T02:10:00.000Z');
    expect(grace.evaluation?.violations.join('\n')).toContain('GHSA-demo-9x4r-j2vd-h6tp (HIGH) in mdast-util-to-hast');

    const expired = result('backup-restore-test', null).parts.find((p) => p.name === 'restore-test')!;
    expect(expired).toMatchObject({ status: 'EXPIRED', expires: '2026-10-28T00:00:00.000Z' });
    expect(result('static-analysis-clean', 'acme-cli').parts[0].expires).toBe('2026-11-09T13:55:00.000Z');

    // The CLI's exception expired on 2026-10-31, so the FAILED underneath shows.
    const cli = result('sbom-compliance', 'acme-cli');
    expect(cli.exception).toBeNull();
    expect(cli.parts.find((p) => p.name === 'sbom-ntia-minimum')?.evaluation?.violations.join('\n')).toMatch(/lacks a supplier/);
    expect(result('minimal-base-images', 'payments-api').exception).toMatchObject({ approvedBy: 'ciso@acme.example', expires: '2026-12-31' });
  });

  it('verifies the release signatures cryptographically with the committed public key', () => {
    for (const project of ['payments-api', 'web-console']) {
      const part = result('container-signed', project).parts[0];
      expect(part).toMatchObject({ name: 'artifact-signed', status: 'PASSED', match: 'explicit' });
      expect(part.evaluation?.reason).toContain('verified with the key keys/release.pub');
      expect(part.evaluation?.reason).not.toMatch(/not verified/);
    }
  });

  it('lets a MEDIUM scan stand for the HIGH requirement, and resolves the KEV finding by VEX', () => {
    const high = result('no-vulnerabilities-high', 'payments-api');
    expect(high.status).toBe('PASSED');
    expect(high.parts.find((p) => p.name === 'vulnerabilities')).toMatchObject({ match: 'auto', with: { severity: 'HIGH' }, status: 'PASSED' });
    expect(high.parts.find((p) => p.name === 'cves-in-kev')?.evaluation?.reason).toMatch(/CVE-DEMO-2026-0001 in fontkit@[^ ]+ \(not_affected/);
    // The same scan fails the MEDIUM requirement (under an exception).
    expect(result('minimal-base-images', 'payments-api').parts.find((p) => p.name === 'vulnerabilities')?.evaluation?.violations).toEqual([
      expect.stringMatching(/^GHSA-demo-7m2q-p4xv-91fk \(MEDIUM\) in fast-xml-parser@/),
    ]);
  });

  it('scores SOC 2 and ISO 27001 and keeps A.7.4 out of the Statement of Applicability', () => {
    for (const name of ['soc2', 'iso27001-2022']) {
      const framework = product.frameworks.find((f) => f.name === name)!;
      expect(framework.score).toBeGreaterThan(0.5);
      expect(framework.score).toBeLessThan(1);
    }
    const a74 = product.frameworks.find((f) => f.name === 'iso27001-2022')!.controls.find((c) => c.id === 'A.7.4')!;
    expect(a74).toMatchObject({ applicable: false, status: 'NOT_APPLICABLE' });
    expect(a74.rationale).toMatch(/no premises/);
  });

  it('leaves out evidence without a content timestamp: at the past reference date it is dated too late', () => {
    // gitleaks and branch-protection files are dated by their commit (or mtime), which is
    // after 2026-11-15; the part says so rather than passing on evidence from "the future".
    // (In a shallow clone their date is unknown instead, and the part says that.)
    const part = result('secrets-scanning', 'payments-api').parts[0];
    expect(part.status).toBe('MISSING');
    expect(part.message).toMatch(/(timestamped after now|date unknown \(shallow clone[^)]*\)): evidence\/payments-api\/gitleaks\.json/);
  });

  it('has evidence that is exactly what the generator writes (deterministic, byte for byte)', async () => {
    const generated = await generateDemoEvidence();
    const evidence = path.join(root, 'evidence');
    expect(listFiles(evidence)).toEqual([...generated.keys()]);
    const differing = [...generated].filter(([rel, text]) => readFileSync(path.join(evidence, rel), 'utf8') !== text).map(([rel]) => rel);
    expect(differing, 'regenerate with `node scripts/generate-demo-evidence.ts` (npm run demo:evidence)').toEqual([]);
  }, 120_000);
});
