// The synthetic content repo behind `npm run bench`: products, projects,
// contracts and proofs against evident's built-in catalog, and CI evidence in
// real formats, as a sequence of commits. Everything is a function of the seed
// and the size; the commits are produced lazily (the L repo holds ~1 GB of
// evidence over its history), file by file, for a git writer to stream.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  branchProtection,
  buildUniverse,
  cyclonedxSbom,
  gitleaksReport,
  grypeReport,
  junitReport,
  kevCatalog,
  openVex,
  osvReport,
  provenanceEnvelope,
  sarifLog,
  scorecardResult,
  trivyReport,
  type Universe,
} from './evidence-formats.ts';
import { Prng } from './prng.ts';

export type SizeName = 'S' | 'M' | 'L';

export interface SizeSpec {
  products: number;
  projects: number;
  /** Evidence files in the tree at HEAD (20 per project, the shared KEV catalog included). */
  evidence: number;
  sboms: number;
  vulnerabilityReports: number;
  commits: number;
  componentsPerSbom: number;
}

export const sizes: Record<SizeName, SizeSpec> = {
  S: { products: 2, projects: 10, evidence: 200, sboms: 5, vulnerabilityReports: 50, commits: 10, componentsPerSbom: 2000 },
  M: { products: 10, projects: 100, evidence: 2000, sboms: 50, vulnerabilityReports: 500, commits: 20, componentsPerSbom: 2000 },
  L: { products: 100, projects: 1000, evidence: 20000, sboms: 500, vulnerabilityReports: 5000, commits: 200, componentsPerSbom: 2000 },
};

/** One file written (content) or deleted (null) by a commit. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface PlannedCommit {
  /** ISO 8601, UTC; the author and committer date. */
  date: string;
  message: string;
  /** Produced on demand, in a fixed order. */
  changes: () => Iterable<FileChange>;
}

export const builtinFrameworks = ['best-practices', 'cra', 'iso27001-2022', 'slsa', 'slsa-source', 'soc2', 'ssdf'];

/** The first commit's date; commits are spread evenly over the next two weeks. */
const firstDate = Date.parse('2026-03-02T06:00:00Z');
const spanMs = 14 * 24 * 3600 * 1000;
const dayMs = 24 * 3600 * 1000;

const productWords = ['atlas', 'borealis', 'cobalt', 'dynamo', 'ember', 'fjord', 'granite', 'helix', 'iris', 'juniper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'onyx', 'polaris', 'quartz', 'radius', 'sierra', 'tundra'];
const services = ['api', 'web', 'worker', 'billing', 'auth', 'search', 'gateway', 'notifier', 'reports', 'scheduler'];
const imageRoles = ['app', 'sidecar', 'migrate', 'cron', 'debug'];
const scanners = ['grype', 'trivy', 'osv-scanner', 'grype', 'trivy'] as const;
const trustedBuilder = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0';
const hostedBuilder = 'https://github.com/actions/runner/github-hosted';

interface CatalogProof {
  requirement: string;
  proof: string;
  periodicity: string | undefined;
  scope: 'PROJECT' | 'PRODUCT';
}

/** The manual proofs the built-in requirement library asks for (read from src/catalogs/requirements). */
export function catalogProofs(): CatalogProof[] {
  const dir = fileURLToPath(new URL('../../src/catalogs/requirements/', import.meta.url));
  const out: CatalogProof[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) {
      const data = doc.toJSON() as { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> }; spec?: { active?: boolean; manual_proofs?: { name: string; periodicity?: string; optional?: boolean }[] } } | null;
      if (data?.kind !== 'Requirement' || !data.metadata?.name || data.spec?.active === false) continue;
      const scope = data.metadata.annotations?.scope === 'PRODUCT' ? 'PRODUCT' : 'PROJECT';
      for (const p of data.spec?.manual_proofs ?? []) out.push({ requirement: data.metadata.name, proof: p.name, periodicity: p.periodicity, scope });
    }
  }
  return out;
}

interface ProjectState {
  name: string;
  product: string;
  index: number;
  hasSbom: boolean;
  hasNotes: boolean;
  trustedBuilder: boolean;
  /** Universe package indices in its dependency tree. */
  packages: number[];
  /** Vulnerabilities that can be found in it. */
  candidates: number[];
  findings: number[][];
  release: [number, number, number];
  rng: Prng;
}

/** A change unit: files of one stream that CI rewrites together. */
interface Group {
  project: ProjectState;
  kind: 'scan' | 'unit' | 'e2e' | 'sast' | 'release' | 'vex' | 'scorecard' | 'gitleaks' | 'branch';
  /** Relative change probability per commit (scaled by the size). */
  weight: number;
  image?: number;
  tool?: 'CodeQL' | 'Semgrep';
  render: (date: string) => FileChange[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

/** Plans the whole repo: the commits, lazily. */
export function planRepo(sizeName: SizeName, seed: number): { spec: SizeSpec; commits: PlannedCommit[]; head: string } {
  const spec = sizes[sizeName];
  const universe = buildUniverse(seed);
  const rng = new Prng(seed, `commits-${sizeName}`);
  const perProduct = spec.projects / spec.products;
  const step = spec.commits > 1 ? spanMs / (spec.commits - 1) : 0;
  const dates = Array.from({ length: spec.commits }, (_, k) => iso(Math.round((firstDate + k * step) / 60000) * 60000));

  const vulnsByPackage = new Map<number, number[]>();
  universe.vulnerabilities.forEach((v, i) => {
    const list = vulnsByPackage.get(v.pkg) ?? [];
    list.push(i);
    vulnsByPackage.set(v.pkg, list);
  });
  const allPackages = universe.packages.map((_, i) => i);

  const products = Array.from({ length: spec.products }, (_, i) => `${productWords[i % productWords.length]}-${String(i + 1).padStart(3, '0')}`);
  const projects: ProjectState[] = [];
  for (let i = 0; i < spec.projects; i++) {
    const productIndex = Math.floor(i / perProduct);
    const product = products[productIndex]!;
    const name = `${product}-${services[(i % perProduct) % services.length]}${perProduct > services.length ? `-${Math.floor((i % perProduct) / services.length) + 1}` : ''}`;
    const prng = new Prng(seed, `project-${name}`);
    const packages = prng.sample(allPackages, spec.componentsPerSbom).sort((a, b) => a - b);
    // Well-kept projects (two in five) only ever have low and medium findings.
    const wellKept = prng.chance(0.4);
    const candidates = packages.flatMap((p) => vulnsByPackage.get(p) ?? []).filter((v) => !wellKept || universe.vulnerabilities[v]!.severity === 'LOW' || universe.vulnerabilities[v]!.severity === 'MEDIUM');
    projects.push({
      name,
      product,
      index: i,
      hasSbom: i % 2 === 0,
      hasNotes: i % 2 === 1 && i !== 1,
      trustedBuilder: prng.chance(0.5),
      packages,
      candidates,
      findings: imageRoles.map(() => prng.sample(candidates, initialFindings(prng))),
      release: [prng.int(1, 5), prng.int(0, 20), 0],
      rng: prng,
    });
  }

  const kevListed = universe.kev.slice(0, Math.floor(universe.kev.length / 2));
  const groups = projects.flatMap((p) => projectGroups(p, universe));
  const proofs = catalogProofs();
  const productProofs = proofs.filter((p) => p.scope === 'PRODUCT');
  const projectProofs = proofs.filter((p) => p.scope === 'PROJECT');

  // How often a stream is rewritten: every file about three times over the history.
  const base = spec.commits > 1 ? Math.min(0.4, 3 / (spec.commits - 1)) : 0;

  const proofFiles = planProofs(rng, products, projects, productProofs, projectProofs);
  const commits: PlannedCommit[] = dates.map((date, k) => {
    if (k === 0) {
      return {
        date,
        message: 'Import the compliance content and the first CI evidence',
        changes: function* () {
          yield* resourceFiles(products, projects, spec);
          for (const pf of proofFiles) yield { path: pf.path, content: proofMarkdown(pf, pf.date) };
          yield { path: 'evidence/_shared/kev.json', content: kevCatalog(universe, kevListed, iso(Date.parse(date) - 3600_000)) };
          for (const g of groups) yield* g.render(evidenceTime(date));
        },
      };
    }
    // Decide now which streams change, so that the plan does not depend on when changes() runs.
    const changed = groups.filter((g) => rng.chance(base * g.weight));
    if (changed.length === 0) changed.push(groups[rng.int(0, groups.length - 1)]!);
    const kevUpdate = rng.chance(0.15);
    const kevCount = kevListed.length + k;
    const redated = rng.sample(proofFiles, rng.int(1, 3));
    return {
      date,
      message: `CI evidence of ${day(Date.parse(date))}: ${changed.length} stream${changed.length === 1 ? '' : 's'} updated`,
      changes: function* () {
        if (kevUpdate) yield { path: 'evidence/_shared/kev.json', content: kevCatalog(universe, universe.kev.slice(0, Math.min(universe.kev.length, kevCount)), iso(Date.parse(date) - 3600_000)) };
        for (const pf of redated) yield { path: pf.path, content: proofMarkdown(pf, date.slice(0, 10)) };
        for (const g of changed) yield* g.render(evidenceTime(date));
      },
    };
  });
  return { spec, commits, head: dates[dates.length - 1]! };
}

/** CI wrote the evidence a little before committing it. */
function evidenceTime(commitDate: string): string {
  return iso(Date.parse(commitDate) - 10 * 60000);
}

function initialFindings(rng: Prng): number {
  const r = rng.next();
  return r < 0.4 ? rng.int(0, 2) : r < 0.85 ? rng.int(3, 10) : rng.int(11, 40);
}

function projectGroups(p: ProjectState, universe: Universe): Group[] {
  const dir = `evidence/${p.name}`;
  const { rng } = p;
  const groups: Group[] = [];
  imageRoles.forEach((role, image) => {
    const scanner = scanners[image]!;
    groups.push({
      project: p,
      kind: 'scan',
      weight: 1,
      image,
      render: (date) => {
        const findings = p.findings[image]!;
        const target = `registry.acme.example/${p.name}-${role}:${p.release.join('.')}`;
        const input = { target, timestamp: date, findings, universe };
        const file = scanner === 'grype' ? 'grype.json' : scanner === 'trivy' ? 'trivy.json' : 'osv-scanner.json';
        const content = scanner === 'grype' ? grypeReport(input) : scanner === 'trivy' ? trivyReport(input) : osvReport(input);
        // the next scan: some findings fixed, a few new ones
        p.findings[image] = [...findings.filter(() => !rng.chance(0.3)), ...rng.sample(p.candidates, rng.int(0, 3))].filter((f, i, all) => all.indexOf(f) === i);
        return [{ path: `${dir}/images/${p.name}-${role}/${file}`, content }];
      },
    });
  });
  const classes = ['Controller', 'Service', 'Repository', 'Mapper', 'Validator', 'Client'];
  groups.push({
    project: p,
    kind: 'unit',
    weight: 1,
    render: (date) =>
      classes.map((c) => {
        const suite = `com.acme.${p.name.replace(/-/g, '')}.${c}Test`;
        const failing = rng.chance(0.03);
        const cases = Array.from({ length: rng.int(8, 60) }, (_, i) => ({ name: `test${c}${i}`, status: (failing && i === 0 ? 'failed' : rng.chance(0.02) ? 'skipped' : 'passed') as 'passed' | 'failed' | 'skipped', time: rng.int(1, 900) / 1000 }));
        return { path: `${dir}/tests/unit/TEST-${suite}.xml`, content: junitReport({ suite, timestamp: date, cases }) };
      }),
  });
  groups.push({
    project: p,
    kind: 'e2e',
    weight: 1,
    render: (date) => {
      const suite = `com.acme.${p.name.replace(/-/g, '')}.EndToEndIT`;
      const cases = Array.from({ length: rng.int(5, 30) }, (_, i) => ({ name: `scenario${i}`, status: (rng.chance(0.01) ? 'failed' : 'passed') as 'passed' | 'failed', time: rng.int(500, 9000) / 1000 }));
      return [{ path: `${dir}/tests/e2e/junit.xml`, content: junitReport({ suite, timestamp: date, cases }) }];
    },
  });
  for (const tool of ['CodeQL', 'Semgrep'] as const) {
    groups.push({
      project: p,
      kind: 'sast',
      weight: 1,
      tool,
      render: (date) => {
        const results = Array.from({ length: rng.int(0, 15) }, () => ({ rule: rng.int(0, 9), level: (rng.chance(0.01) ? 'error' : rng.chance(0.5) ? 'warning' : 'note') as 'error' | 'warning' | 'note', file: `src/${rng.pick(['handlers', 'db', 'util', 'api'])}/${rng.pick(['index', 'query', 'render', 'auth'])}.ts`, line: rng.int(1, 400) }));
        return [{ path: `${dir}/sast/${tool.toLowerCase()}/results.sarif`, content: sarifLog({ tool, timestamp: date, results }) }];
      },
    });
  }
  groups.push({
    project: p,
    kind: 'release',
    weight: 1 / 3,
    render: (date) => {
      p.release = rng.chance(0.2) ? [p.release[0], p.release[1] + 1, 0] : [p.release[0], p.release[1], p.release[2] + 1];
      const release = p.release.join('.');
      const digest = rng.hex(32);
      const out: FileChange[] = [];
      if (p.hasSbom) {
        // a release updates a few dependencies
        for (let i = 0; i < p.packages.length; i++) if (rng.chance(0.02)) p.packages[i] = rng.int(0, universe.packages.length - 1);
        const packages = [...new Set(p.packages)].map((i) => universe.packages[i]!);
        // one in twenty SBOMs describes another build than the provenance (a mismatch to find)
        const sbomDigest = rng.chance(0.05) ? rng.hex(32) : digest;
        out.push({ path: `${dir}/release/sbom.cdx.json`, content: cyclonedxSbom({ project: p.name, release, timestamp: date, artifactDigest: sbomDigest, packages, rng }) });
      } else if (p.hasNotes) {
        out.push({ path: `${dir}/release/RELEASE-NOTES.txt`, content: `${p.name} ${release}\n\n- Dependency updates.\n- Fixes ${rng.int(1, 9)} issues.\n` });
      }
      out.push({
        path: `${dir}/release/provenance.dsse.json`,
        content: provenanceEnvelope({ project: p.name, release, timestamp: date, started: iso(Date.parse(date) - rng.int(60, 900) * 1000), artifactDigest: digest, builderId: p.trustedBuilder ? trustedBuilder : hostedBuilder, rng }),
      });
      return out;
    },
  });
  groups.push({
    project: p,
    kind: 'vex',
    weight: 1 / 2,
    render: (date) => {
      const current = [...new Set(p.findings.flat())];
      const statements = rng.sample(current, Math.floor(current.length * 0.3)).sort((a, b) => a - b);
      return [{ path: `${dir}/vex/openvex.json`, content: openVex({ project: p.name, timestamp: date, statements, universe }) }];
    },
  });
  groups.push({ project: p, kind: 'scorecard', weight: 1, render: (date) => [{ path: `${dir}/security/scorecard.json`, content: scorecardResult(p.name, date, rng) }] });
  groups.push({ project: p, kind: 'gitleaks', weight: 1, render: () => [{ path: `${dir}/security/gitleaks-report.json`, content: gitleaksReport(p.name, rng.chance(0.05), rng) }] });
  groups.push({ project: p, kind: 'branch', weight: 1 / 2, render: () => [{ path: `${dir}/settings/branch-protection.json`, content: branchProtection(p.name, rng.chance(0.95) ? rng.int(1, 2) : 0, rng.chance(0.92)) }] });
  return groups;
}

interface ProofFile {
  path: string;
  requirement: string;
  proof: string;
  scope: { product?: string; project?: string };
  date: string;
  result: 'pass' | 'fail';
}

function planProofs(rng: Prng, products: string[], projects: ProjectState[], productProofs: CatalogProof[], projectProofs: CatalogProof[]): ProofFile[] {
  const out: ProofFile[] = [];
  const dated = (p: CatalogProof) => {
    // within, and sometimes beyond, the proof's validity before the first commit
    const maxDays = p.periodicity === 'quarterly' ? 110 : p.periodicity === 'monthly' ? 40 : 420;
    return day(firstDate - rng.int(1, maxDays) * dayMs);
  };
  // org-wide proofs for three quarters of what the products need
  for (const p of productProofs) {
    if (!rng.chance(0.75)) continue;
    out.push({ path: `proofs/org/${p.requirement}/${p.proof}.md`, requirement: p.requirement, proof: p.proof, scope: {}, date: dated(p), result: rng.chance(0.03) ? 'fail' : 'pass' });
  }
  // a few product-level ones that take precedence
  for (const product of products) {
    for (const p of rng.sample(productProofs, 4)) out.push({ path: `proofs/${product}/${p.requirement}--${p.proof}.md`, requirement: p.requirement, proof: p.proof, scope: { product }, date: dated(p), result: 'pass' });
  }
  // project proofs for PROJECT-scoped requirements
  for (const project of projects) {
    for (const p of rng.sample(projectProofs, 3)) out.push({ path: `proofs/${project.product}/${project.name}/${p.requirement}--${p.proof}.md`, requirement: p.requirement, proof: p.proof, scope: { project: project.name }, date: dated(p), result: rng.chance(0.05) ? 'fail' : 'pass' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function proofMarkdown(pf: ProofFile, date: string): string {
  const who = pf.scope.project ?? pf.scope.product ?? 'the organisation';
  const label = pf.proof.replace(/-/g, ' ');
  return [
    '---',
    `requirement: ${pf.requirement}`,
    `proof: ${pf.proof}`,
    ...(pf.scope.project ? [`project: ${pf.scope.project}`] : pf.scope.product ? [`product: ${pf.scope.product}`] : []),
    `date: ${date}`,
    `result: ${pf.result}`,
    `title: ${label} for ${who}`,
    '---',
    `# ${label} (${date})`,
    '',
    `Performed for ${who} on ${date} by the security team and reviewed by the control owner.`,
    '',
    '| Item | Outcome | Ticket |',
    '|---|---|---|',
    `| Scope confirmed | ${pf.result === 'pass' ? 'done' : 'open'} | SEC-${date.replace(/-/g, '').slice(2)} |`,
    '| Findings recorded | done | see below |',
    '',
    pf.result === 'pass' ? 'No open findings remain; the record is kept in the GRC tool.' : '**Open:** two findings are past their due date; see the tickets above.',
    '',
  ].join('\n');
}

function* resourceFiles(products: string[], projects: ProjectState[], spec: SizeSpec): Generator<FileChange> {
  yield {
    path: 'evident.yaml',
    content: [
      'apiVersion: evident/v1',
      'kind: Config',
      'metadata: {name: acme}',
      'spec:',
      '  organization: Acme Corp',
      '  autoMatch: true',
      '  audit:',
      '    period: {start: 2026-01-01, end: 2026-12-31}',
      '  portal:',
      `    title: Acme Trust Center (synthetic, ${spec.products} products)`,
      '',
    ].join('\n'),
  };
  yield {
    path: 'contracts/ci.yaml',
    content: [
      'apiVersion: evident/v1',
      'kind: Contract',
      'metadata: {name: ci-baseline, description: What every service pipeline produces.}',
      'spec:',
      '  policies:',
      '    - {ref: vulnerabilities, with: {severity: MEDIUM}}',
      '    - ref: cves-in-kev',
      '    - ref: vulnerability-remediation-sla',
      '    - {ref: sarif-findings, with: {level: error, max: 0}}',
      '    - ref: tests-passed',
      '    - ref: secrets-scan',
      '    - {ref: branch-protection, with: {reviews: 1, enforceAdmins: true}}',
      '    - {ref: scorecard, with: {min: 7}}',
      '---',
      'apiVersion: evident/v1',
      'kind: Contract',
      'metadata: {name: release, description: What a release pipeline publishes.}',
      'spec:',
      '  policies:',
      '    - ref: sbom-present',
      '    - ref: sbom-ntia-minimum',
      '    - ref: sbom-banned-licenses',
      '    - {ref: slsa-provenance, with: {level: 3}}',
      '    - ref: artifact-signed',
      '---',
      'apiVersion: evident/v1',
      'kind: Contract',
      'metadata: {name: repo-hygiene}',
      'spec:',
      '  policies:',
      '    - ref: commits-signed',
      '',
    ].join('\n'),
  };
  for (const [i, product] of products.entries()) {
    const own = projects.filter((p) => p.product === product);
    const word = product.split('-')[0]!;
    const lines = [
      'apiVersion: evident/v1',
      'kind: Product',
      'metadata:',
      `  name: ${product}`,
      `  displayName: ${word.charAt(0).toUpperCase()}${word.slice(1)} ${i + 1}`,
      'spec:',
      `  version: ${1 + (i % 4)}.${i % 10}.0`,
      `  owner: ${word}-team@acme.example`,
      `  projects: [${own.map((p) => p.name).join(', ')}]`,
      `  frameworks: [${builtinFrameworks.join(', ')}]`,
      '  applicability:',
      '    - control: iso27001-2022/A.7.4',
      '      rationale: No physical premises; the offices are a co-working space.',
      '    - requirement: container-signed',
      `      projects: [${own[own.length - 1]!.name}]`,
      '      rationale: Ships a library, not an image.',
      '  exceptions:',
      '    - requirement: no-vulnerabilities-high',
      `      projects: [${own[0]!.name}]`,
      '      rationale: Fix blocked upstream; tracked in SEC-142.',
      '      approvedBy: ciso@acme.example',
      `      owner: ${word}-team@acme.example`,
      '      expires: 2026-12-31',
      '  overrides:',
      '    - requirement: branch-protection',
      `      projects: [${own[Math.min(1, own.length - 1)]!.name}]`,
      '      status: PASSED',
      '      rationale: Protected by the organisation-wide ruleset, not repository settings.',
      '      by: auditor@acme.example',
      '      date: 2026-02-20',
    ];
    for (const p of own) {
      const contracts = ['ci-baseline', 'release', ...(p.index % 3 === 0 ? ['repo-hygiene'] : [])];
      lines.push('---', 'apiVersion: evident/v1', 'kind: Project', 'metadata:', `  name: ${p.name}`, 'spec:', `  evidence: evidence/${p.name}`, `  owner: ${word}-team@acme.example`);
      if (p.index % 10 === 3) lines.push('  public: true');
      if (p.index % 25 === 7) lines.push('  confidential: true');
      lines.push(`  contracts: [${contracts.join(', ')}]`);
    }
    yield { path: `products/${product}.yaml`, content: lines.join('\n') + '\n' };
  }
}
