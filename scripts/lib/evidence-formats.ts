// Evidence documents in the formats evident's readers detect, as real tools
// write them: CycloneDX 1.6 JSON (cyclonedx-npm style), Grype, Trivy and
// osv-scanner JSON, SARIF 2.1.0, JUnit XML (Surefire style), SLSA v1
// provenance in a signed DSSE envelope, OpenVEX 0.2.0, OpenSSF Scorecard,
// gitleaks, GitHub branch protection and the CISA KEV catalog. Each builder is
// a pure function of its arguments (all randomness comes from the caller's
// Prng), so the generated repo is a function of the seed.
import { Buffer } from 'node:buffer';
import { Prng } from './prng.ts';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
type Ecosystem = 'npm' | 'pypi' | 'maven' | 'golang' | 'deb';

export interface Package {
  ecosystem: Ecosystem;
  /** Maven group or Go module host path; joined to the name the purl way. */
  namespace?: string;
  name: string;
  version: string;
  purl: string;
  license: string;
  supplier: string | undefined;
  sha256: string;
}

export interface Vulnerability {
  id: string;
  aliases: string[];
  /** Index into Universe.packages. */
  pkg: number;
  severity: Severity;
  cvss: number;
  fixed: string;
  title: string;
}

/** The shared world every project draws from: packages, known vulnerabilities, the KEV list. */
export interface Universe {
  packages: Package[];
  vulnerabilities: Vulnerability[];
  /** Indices into vulnerabilities listed in the KEV catalog. */
  kev: number[];
}

const syllables = ['ab', 'ar', 'bel', 'bor', 'cal', 'cor', 'da', 'del', 'el', 'fen', 'gal', 'har', 'in', 'jo', 'kal', 'lor', 'mar', 'nel', 'or', 'pel', 'quin', 'ras', 'sol', 'tar', 'ul', 'ven', 'wil', 'xan', 'yor', 'zel'];
const licenses = ['MIT', 'MIT', 'MIT', 'Apache-2.0', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'BSD-2-Clause', 'MPL-2.0', 'LGPL-2.1-only', 'MIT OR Apache-2.0', 'Apache-2.0 WITH LLVM-exception', '0BSD'];
const suppliers = ['OpenJS Foundation', 'Apache Software Foundation', 'Python Software Foundation', 'Eclipse Foundation', 'Debian', 'Acme Open Source', 'Independent maintainers', 'Golang community'];
const words = ['parser', 'buffer', 'stream', 'render', 'cache', 'token', 'schema', 'socket', 'router', 'crypto', 'logger', 'config', 'queue', 'image', 'archive', 'template'];

function word(rng: Prng, parts: number): string {
  let w = '';
  for (let i = 0; i < parts; i++) w += rng.pick(syllables);
  return w;
}

function version(rng: Prng): string {
  return `${rng.int(0, 12)}.${rng.int(0, 30)}.${rng.int(0, 20)}`;
}

function purlOf(ecosystem: Ecosystem, namespace: string | undefined, name: string, v: string): string {
  const type = ecosystem === 'golang' ? 'golang' : ecosystem;
  const qualifiers = ecosystem === 'deb' ? '?arch=amd64&distro=debian-12' : '';
  return `pkg:${type}/${namespace ? `${namespace}/` : ''}${name}@${v}${qualifiers}`;
}

/** Builds the universe: `packageCount` packages, `vulnCount` vulnerabilities on them, `kevCount` of those in KEV. */
export function buildUniverse(seed: number, packageCount = 6000, vulnCount = 4000, kevCount = 60): Universe {
  const rng = new Prng(seed, 'universe');
  const packages: Package[] = [];
  const seen = new Set<string>();
  const ecosystems: Ecosystem[] = ['npm', 'npm', 'npm', 'pypi', 'maven', 'golang', 'deb'];
  while (packages.length < packageCount) {
    const ecosystem = rng.pick(ecosystems);
    const base = `${word(rng, rng.int(2, 3))}-${rng.pick(words)}`;
    const namespace = ecosystem === 'maven' ? `org.${word(rng, 2)}` : ecosystem === 'golang' ? `github.com/${word(rng, 2)}` : ecosystem === 'npm' && rng.chance(0.2) ? `@${word(rng, 2)}` : undefined;
    const key = `${ecosystem}/${namespace ?? ''}/${base}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const v = version(rng);
    // npm scopes are percent-encoded in a purl
    const purlNamespace = namespace?.startsWith('@') ? `%40${namespace.slice(1)}` : namespace;
    packages.push({
      ecosystem,
      ...(namespace ? { namespace } : {}),
      name: base,
      version: v,
      purl: purlOf(ecosystem, purlNamespace, base, v),
      // dual-licensed packages that sbom-banned-licenses must let through
      license: rng.chance(0.01) ? 'MIT OR AGPL-3.0-only' : rng.pick(licenses),
      supplier: rng.pick(suppliers),
      sha256: rng.hex(32),
    });
  }
  // One copyleft-only package: about a third of the SBOMs include it, and sbom-banned-licenses finds it there.
  packages[rng.int(0, packageCount - 1)]!.license = 'AGPL-3.0-only';
  // One package whose SBOM entry names no supplier: sbom-ntia-minimum finds it in about a third of the SBOMs.
  packages[rng.int(0, packageCount - 1)]!.supplier = undefined;
  const vulnerabilities: Vulnerability[] = [];
  for (let i = 0; i < vulnCount; i++) {
    const r = rng.next();
    const severity: Severity = r < 0.4 ? 'LOW' : r < 0.75 ? 'MEDIUM' : r < 0.95 ? 'HIGH' : 'CRITICAL';
    const cvss = severity === 'LOW' ? rng.int(10, 39) / 10 : severity === 'MEDIUM' ? rng.int(40, 69) / 10 : severity === 'HIGH' ? rng.int(70, 89) / 10 : rng.int(90, 100) / 10;
    const pkg = rng.int(0, packageCount - 1);
    const year = 2022 + (i % 4);
    const id = `CVE-${year}-${String(20000 + i * 7).padStart(5, '0')}`;
    const ghsa = `GHSA-${rng.hex(2)}${word(rng, 1).slice(0, 2)}-${rng.hex(2)}-${rng.hex(2)}`.slice(0, 19);
    const p = packages[pkg]!;
    const [major, minor, patch] = p.version.split('.').map(Number);
    vulnerabilities.push({ id, aliases: [ghsa], pkg, severity, cvss, fixed: `${major}.${minor}.${patch! + 1}`, title: `${rng.pick(['Prototype pollution', 'Denial of service', 'Path traversal', 'Out-of-bounds read', 'Improper input validation', 'Regular expression DoS', 'Server-side request forgery', 'Use after free'])} in ${p.name}` });
  }
  const kev = rng.sample(
    vulnerabilities.map((_, i) => i).filter((i) => vulnerabilities[i]!.severity === 'HIGH' || vulnerabilities[i]!.severity === 'CRITICAL'),
    kevCount,
  );
  return { packages, vulnerabilities, kev: kev.sort((a, b) => a - b) };
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function uuid(rng: Prng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SbomInput {
  project: string;
  release: string;
  timestamp: string;
  /** The artifact's digest (the provenance subject names the same one). */
  artifactDigest: string;
  packages: Package[];
  rng: Prng;
}

/** A CycloneDX 1.6 JSON SBOM with licences, suppliers, hashes, purls and a dependency graph. */
export function cyclonedxSbom(input: SbomInput): string {
  const { rng, packages } = input;
  const rootRef = `pkg:oci/${input.project}@sha256%3A${input.artifactDigest}`;
  const components = packages.map((p) => ({
    type: 'library',
    'bom-ref': p.purl,
    ...(p.supplier ? { supplier: { name: p.supplier } } : {}),
    ...(p.namespace ? { group: p.namespace } : {}),
    name: p.name,
    version: p.version,
    description: `${p.name} ${p.ecosystem} package`,
    hashes: [{ alg: 'SHA-256', content: p.sha256 }],
    licenses: / OR | AND | WITH /.test(p.license) ? [{ expression: p.license }] : [{ license: { id: p.license } }],
    purl: p.purl,
  }));
  // A DAG: each component depends on a few that come after it; the root on the first ones.
  const dependencies = [
    { ref: rootRef, dependsOn: packages.slice(0, Math.min(25, packages.length)).map((p) => p.purl) },
    ...packages.map((p, i) => {
      const deps = new Set<string>();
      const n = i + 1 < packages.length ? rng.int(0, 3) : 0;
      for (let k = 0; k < n; k++) deps.add(packages[rng.int(i + 1, packages.length - 1)]!.purl);
      return { ref: p.purl, dependsOn: [...deps] };
    }),
  ];
  return json({
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuid(rng)}`,
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      lifecycles: [{ phase: 'build' }],
      tools: { components: [{ type: 'application', group: '@cyclonedx', name: 'cyclonedx-npm', version: '1.19.3' }] },
      authors: [{ name: 'Acme CI' }],
      component: {
        type: 'container',
        'bom-ref': rootRef,
        name: input.project,
        version: input.release,
        hashes: [{ alg: 'SHA-256', content: input.artifactDigest }],
        purl: rootRef,
      },
      supplier: { name: 'Acme Corp' },
    },
    components,
    dependencies,
  });
}

export interface ScanInput {
  target: string;
  timestamp: string;
  findings: number[];
  universe: Universe;
}

function cvssVector(v: Vulnerability): string {
  const impact = v.severity === 'CRITICAL' ? 'C:H/I:H/A:H' : v.severity === 'HIGH' ? 'C:H/I:N/A:H' : v.severity === 'MEDIUM' ? 'C:L/I:L/A:N' : 'C:L/I:N/A:N';
  return `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/${impact}`;
}

const title = (s: Severity) => s.charAt(0) + s.slice(1).toLowerCase();

/** `grype -o json`. */
export function grypeReport(input: ScanInput): string {
  const { universe } = input;
  return json({
    matches: input.findings.map((f) => {
      const v = universe.vulnerabilities[f]!;
      const p = universe.packages[v.pkg]!;
      return {
        vulnerability: {
          id: v.id,
          dataSource: `https://nvd.nist.gov/vuln/detail/${v.id}`,
          namespace: 'nvd:cpe',
          severity: title(v.severity),
          urls: [`https://nvd.nist.gov/vuln/detail/${v.id}`],
          description: v.title,
          cvss: [{ source: 'nvd@nist.gov', type: 'Primary', version: '3.1', vector: cvssVector(v), metrics: { baseScore: v.cvss } }],
          fix: { versions: [v.fixed], state: 'fixed' },
          advisories: [],
        },
        relatedVulnerabilities: v.aliases.map((a) => ({ id: a, dataSource: `https://github.com/advisories/${a}`, namespace: 'github:language', severity: title(v.severity) })),
        matchDetails: [{ type: 'exact-direct-match', matcher: `${p.ecosystem}-matcher`, searchedBy: { package: { name: p.name, version: p.version } }, found: { vulnerabilityID: v.id } }],
        artifact: { id: p.sha256.slice(0, 16), name: p.name, version: p.version, type: p.ecosystem, locations: [{ path: `/app/node_modules/${p.name}/package.json` }], language: '', licenses: [p.license], cpes: [], purl: p.purl, upstreams: [] },
      };
    }),
    source: { type: 'image', target: { userInput: input.target, imageID: 'sha256:' + input.findings.length.toString(16).padStart(64, '0'), tags: [input.target] } },
    distro: { name: 'debian', version: '12', idLike: null },
    descriptor: { name: 'grype', version: '0.80.0', timestamp: input.timestamp, configuration: { output: ['json'], 'fail-on-severity': '' } },
  });
}

/** `trivy image -f json` (SchemaVersion 2). */
export function trivyReport(input: ScanInput): string {
  const { universe } = input;
  return json({
    SchemaVersion: 2,
    CreatedAt: input.timestamp,
    ArtifactName: input.target,
    ArtifactType: 'container_image',
    Metadata: { OS: { Family: 'debian', Name: '12.5' }, RepoTags: [input.target] },
    Results: [
      {
        Target: `${input.target} (debian 12.5)`,
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: input.findings.map((f) => {
          const v = universe.vulnerabilities[f]!;
          const p = universe.packages[v.pkg]!;
          return {
            VulnerabilityID: v.id,
            VendorIDs: v.aliases,
            PkgName: p.name,
            PkgIdentifier: { PURL: p.purl },
            InstalledVersion: p.version,
            FixedVersion: v.fixed,
            Status: 'fixed',
            SeveritySource: 'nvd',
            PrimaryURL: `https://avd.aquasec.com/nvd/${v.id.toLowerCase()}`,
            Title: v.title,
            Severity: v.severity,
            CVSS: { nvd: { V3Vector: cvssVector(v), V3Score: v.cvss } },
          };
        }),
      },
    ],
  });
}

const osvEcosystem: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI', maven: 'Maven', golang: 'Go', deb: 'Debian' };

/** `osv-scanner --format json`. */
export function osvReport(input: ScanInput): string {
  const { universe } = input;
  const byPackage = new Map<number, number[]>();
  for (const f of input.findings) {
    const list = byPackage.get(universe.vulnerabilities[f]!.pkg) ?? [];
    list.push(f);
    byPackage.set(universe.vulnerabilities[f]!.pkg, list);
  }
  return json({
    results: [
      {
        source: { path: `/src/${input.target}/package-lock.json`, type: 'lockfile' },
        packages: [...byPackage].map(([pkg, list]) => {
          const p = universe.packages[pkg]!;
          const name = p.namespace ? (p.ecosystem === 'maven' ? `${p.namespace}:${p.name}` : `${p.namespace}/${p.name}`) : p.name;
          return {
            package: { name, version: p.version, ecosystem: osvEcosystem[p.ecosystem] },
            vulnerabilities: list.map((f) => {
              const v = universe.vulnerabilities[f]!;
              return {
                modified: '2026-01-15T10:00:00Z',
                published: '2025-06-01T10:00:00Z',
                schema_version: '1.6.0',
                id: v.aliases[0],
                aliases: [v.id],
                summary: v.title,
                details: `${v.title}. Upgrade to ${v.fixed} or later.`,
                affected: [{ package: { ecosystem: osvEcosystem[p.ecosystem], name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: v.fixed }] }] }],
                severity: [{ type: 'CVSS_V3', score: cvssVector(v) }],
                database_specific: { severity: v.severity === 'MEDIUM' ? 'MODERATE' : v.severity },
              };
            }),
            groups: list.map((f) => {
              const v = universe.vulnerabilities[f]!;
              return { ids: [v.aliases[0]], aliases: [v.aliases[0], v.id], max_severity: String(v.cvss) };
            }),
          };
        }),
      },
    ],
  });
}

export interface OpenVexInput {
  project: string;
  timestamp: string;
  /** Vulnerability indices declared not affecting, with the package purls. */
  statements: number[];
  universe: Universe;
}

/** An OpenVEX 0.2.0 document of not_affected statements. */
export function openVex(input: OpenVexInput): string {
  const { universe } = input;
  return json({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://vex.acme.example/${input.project}/${input.timestamp.slice(0, 10)}`,
    author: 'Acme Product Security <psirt@acme.example>',
    timestamp: input.timestamp,
    version: 1,
    statements: input.statements.map((f) => {
      const v = universe.vulnerabilities[f]!;
      return {
        vulnerability: { name: v.id, aliases: v.aliases },
        products: [{ '@id': universe.packages[v.pkg]!.purl }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: `${input.project} never calls the affected function.`,
      };
    }),
  });
}

/** The CISA Known Exploited Vulnerabilities catalog. */
export function kevCatalog(universe: Universe, listed: number[], released: string): string {
  return json({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: released.slice(0, 10).replace(/-/g, '.'),
    dateReleased: released,
    count: listed.length,
    vulnerabilities: listed.map((i) => {
      const v = universe.vulnerabilities[i]!;
      const p = universe.packages[v.pkg]!;
      return { cveID: v.id, vendorProject: p.namespace ?? p.name, product: p.name, vulnerabilityName: v.title, dateAdded: '2025-12-01', shortDescription: v.title, requiredAction: 'Apply mitigations per vendor instructions.', dueDate: '2025-12-22', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] };
    }),
  });
}

export interface SarifInput {
  tool: 'CodeQL' | 'Semgrep';
  timestamp: string;
  results: { rule: number; level: 'error' | 'warning' | 'note'; file: string; line: number }[];
}

const sarifRules = ['sql-injection', 'xss', 'path-injection', 'insecure-randomness', 'hardcoded-credentials', 'missing-rate-limiting', 'unsafe-deserialization', 'regex-injection', 'log-injection', 'incomplete-sanitization'];

/** SARIF 2.1.0 with one run. */
export function sarifLog(input: SarifInput): string {
  const prefix = input.tool === 'CodeQL' ? 'js/' : 'javascript.lang.security.';
  return json({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.tool,
            semanticVersion: input.tool === 'CodeQL' ? '2.19.3' : '1.95.0',
            rules: sarifRules.map((r, i) => ({ id: `${prefix}${r}`, name: r, shortDescription: { text: r.replace(/-/g, ' ') }, defaultConfiguration: { level: i < 4 ? 'error' : 'warning' }, properties: { tags: ['security'], precision: 'high' } })),
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: input.timestamp }],
        results: input.results.map((r) => ({
          ruleId: `${prefix}${sarifRules[r.rule]}`,
          ruleIndex: r.rule,
          level: r.level,
          message: { text: `Possible ${sarifRules[r.rule]!.replace(/-/g, ' ')} in ${r.file}.` },
          locations: [{ physicalLocation: { artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' }, region: { startLine: r.line, startColumn: 5 } } }],
          partialFingerprints: { primaryLocationLineHash: `${r.rule}${r.line}:1` },
        })),
      },
    ],
  });
}

export interface JunitInput {
  suite: string;
  timestamp: string;
  cases: { name: string; status: 'passed' | 'failed' | 'skipped'; time: number }[];
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One Maven Surefire JUnit XML report (TEST-<suite>.xml). */
export function junitReport(input: JunitInput): string {
  const failures = input.cases.filter((c) => c.status === 'failed').length;
  const skipped = input.cases.filter((c) => c.status === 'skipped').length;
  const time = input.cases.reduce((s, c) => s + c.time, 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd" name="${xmlEscape(input.suite)}" time="${time}" tests="${input.cases.length}" errors="0" skipped="${skipped}" failures="${failures}" timestamp="${input.timestamp.replace(/\.\d{3}Z$/, '')}">`,
    '  <properties>',
    '    <property name="java.version" value="21.0.4"/>',
    '    <property name="os.name" value="Linux"/>',
    '  </properties>',
  ];
  for (const c of input.cases) {
    const open = `  <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(input.suite)}" time="${c.time.toFixed(3)}"`;
    if (c.status === 'passed') lines.push(`${open}/>`);
    else if (c.status === 'skipped') lines.push(`${open}>`, '    <skipped message="disabled"/>', '  </testcase>');
    else lines.push(`${open}>`, `    <failure message="expected:&lt;200&gt; but was:&lt;500&gt;" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected: &lt;200&gt; but was: &lt;500&gt;\n\tat ${xmlEscape(input.suite)}.${xmlEscape(c.name)}(${xmlEscape(input.suite.split('.').pop()!)}.java:42)</failure>`, '  </testcase>');
  }
  lines.push('</testsuite>', '');
  return lines.join('\n');
}

export interface ProvenanceInput {
  project: string;
  release: string;
  timestamp: string;
  started: string;
  artifactDigest: string;
  builderId: string;
  rng: Prng;
}

/** SLSA v1 provenance in a DSSE envelope with one (unverifiable, synthetic) signature. */
export function provenanceEnvelope(input: ProvenanceInput): string {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `registry.acme.example/${input.project}`, digest: { sha256: input.artifactDigest } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: `refs/tags/v${input.release}`, repository: `https://github.com/acme/${input.project}`, path: '.github/workflows/release.yml' } },
        internalParameters: { github: { event_name: 'push', repository_id: String(input.rng.int(100000000, 999999999)) } },
        resolvedDependencies: [{ uri: `git+https://github.com/acme/${input.project}@refs/tags/v${input.release}`, digest: { gitCommit: input.rng.hex(20) } }],
      },
      runDetails: {
        builder: { id: input.builderId },
        metadata: { invocationId: `https://github.com/acme/${input.project}/actions/runs/${input.rng.int(1000000000, 9999999999)}/attempts/1`, startedOn: input.started, finishedOn: input.timestamp },
      },
    },
  };
  return json({
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [{ keyid: '', sig: Buffer.from(input.rng.hex(64), 'hex').toString('base64') }],
  });
}

/** OpenSSF Scorecard JSON. */
export function scorecardResult(project: string, date: string, rng: Prng): string {
  const names = ['Binary-Artifacts', 'Branch-Protection', 'CI-Tests', 'Code-Review', 'Dangerous-Workflow', 'Dependency-Update-Tool', 'Maintained', 'Pinned-Dependencies', 'SAST', 'Security-Policy', 'Signed-Releases', 'Token-Permissions', 'Vulnerabilities'];
  const checks = names.map((name) => ({ name, score: rng.chance(0.05) ? -1 : rng.int(5, 10), reason: `${name.replace(/-/g, ' ').toLowerCase()} checked`, details: null, documentation: { short: `Determines ${name}.`, url: `https://github.com/ossf/scorecard/blob/main/docs/checks.md#${name.toLowerCase()}` } }));
  const scored = checks.filter((c) => c.score >= 0);
  const score = Math.round((scored.reduce((s, c) => s + c.score, 0) / scored.length) * 10) / 10;
  return json({ date, repo: { name: `github.com/acme/${project}`, commit: rng.hex(20) }, scorecard: { version: 'v5.0.0', commit: rng.hex(20) }, score, checks, metadata: null });
}

/** gitleaks JSON: clean (`[]`) or a finding. */
export function gitleaksReport(project: string, leak: boolean, rng: Prng): string {
  if (!leak) return '[]\n';
  return json([
    { Description: 'AWS Access Key', StartLine: rng.int(1, 200), EndLine: 0, StartColumn: 12, EndColumn: 32, Match: 'AKIA****************', Secret: 'REDACTED', File: `src/${project}/config.ts`, SymlinkFile: '', Commit: rng.hex(20), Entropy: 3.9, Author: 'dev', Email: 'dev@acme.example', Date: '2026-02-01T10:00:00Z', Message: 'wip', Tags: [], RuleID: 'aws-access-token', Fingerprint: 'x' },
  ]);
}

/** `gh api repos/{o}/{r}/branches/main/protection`. */
export function branchProtection(project: string, reviews: number, enforceAdmins: boolean): string {
  const base = `https://api.github.com/repos/acme/${project}/branches/main/protection`;
  return json({
    url: base,
    required_status_checks: { url: `${base}/required_status_checks`, strict: true, contexts: ['ci/build', 'ci/test'], checks: [{ context: 'ci/build', app_id: 15368 }, { context: 'ci/test', app_id: 15368 }] },
    required_pull_request_reviews: { url: `${base}/required_pull_request_reviews`, dismiss_stale_reviews: true, require_code_owner_reviews: reviews > 1, require_last_push_approval: false, required_approving_review_count: reviews },
    required_signatures: { url: `${base}/required_signatures`, enabled: false },
    enforce_admins: { url: `${base}/enforce_admins`, enabled: enforceAdmins },
    required_linear_history: { enabled: true },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: true },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  });
}
