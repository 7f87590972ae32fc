// The CI evidence of the Acme Corp demo (examples/acme), generated — never
// copied from third parties — in the real formats, deterministically:
//
//   sbom.cdx.json          CycloneDX 1.6, built with @cyclonedx/cyclonedx-library (via scripts/sbom.ts)
//                          over REAL npm packages of this repository's package-lock.json: names,
//                          versions, licences (node_modules/<pkg>/package.json), purls, SHA-512 from
//                          `integrity`, the dependency graph; metadata.component carries the sha256
//                          of the release artifact. Validated against the CycloneDX 1.6 schema.
//   grype.json, trivy.json Vulnerability reports in Grype's and Trivy's JSON formats, written by this
//                          script. Their findings are FICTITIOUS (ids GHSA-demo-…, CVE-DEMO-…) against
//                          real package names; each report says so in its descriptor/metadata.
//   vex.openvex.json       OpenVEX 0.2.0 resolving one finding (not_affected).
//   evident-lint.sarif     SARIF 2.1.0 from a REAL run of `evident validate --format json` (in this
//                          process, through src/cli/run.ts as bin.ts calls it) over a small, deliberately
//                          flawed compliance folder written to a temporary directory.
//   junit.xml              JUnit XML from a REAL vitest run (`--reporter=junit`) of tiny test files
//                          written to a temporary directory.
//   provenance.dsse.json   SLSA v1 provenance, an in-toto Statement in a DSSE envelope signed with the
//                          committed demo key (ECDSA P-256, deterministic RFC 6979 nonces), verifiable
//                          with examples/acme/keys/release.pub.
//   gitleaks.json          a clean gitleaks report (`[]`).
//   branch-protection.json the GitHub branch-protection API response for the main branch.
//   _shared/kev-demo-excerpt.json   a KEV-format catalog with ONE fictitious entry matching a demo finding.
//
// Determinism: every time is an offset from the reference date (REFERENCE_DATE), every id is
// derived from fixed text; no clock, no randomness. The real runs (vitest, evident validate) have
// their timestamps, host names and durations replaced by fixed values, which the files say.
// Regenerating gives byte-identical files (test/demo/demo.test.ts checks it).
//
// Usage: node scripts/generate-demo-evidence.ts [--help] [--out DIR] [--key FILE] [--check] [--new-key]
import { execFile } from 'node:child_process';
import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Enums, Models } from '@cyclonedx/cyclonedx-library';
import { run } from '../src/cli/run.ts';
import { codes } from '../src/diagnostics/codes.ts';
import { validateCycloneDx } from '../src/export/cdxa.ts';
import { compareText, uuidV5 } from '../src/export/oscal.ts';
import { buildSbom, npmPurl, resolveIn, serializeSbom, type LockEntry, type PackageLock } from './sbom.ts';

const execFileAsync = promisify(execFile);

/** The demo's reference date: its evaluation is pinned to this instant (`--now`). */
export const REFERENCE_DATE = '2026-11-15';
export const REFERENCE_NOW = `${REFERENCE_DATE}T00:00:00.000Z`;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const contentRoot = path.join(repoRoot, 'examples/acme');
export const defaultOut = path.join(contentRoot, 'evidence');
export const defaultKey = path.join(contentRoot, 'keys/demo-signing-key.pem');
const publicKeyFile = path.join(contentRoot, 'keys/release.pub');

const usage = `usage: node scripts/generate-demo-evidence.ts [--help] [--out DIR] [--key FILE] [--check] [--new-key]
Writes the CI evidence of the Acme Corp demo (examples/acme/evidence), deterministically,
for the reference date ${REFERENCE_DATE}.
  --out DIR    write into DIR instead of examples/acme/evidence
  --key FILE   the demo signing key (PEM, ECDSA P-256; default examples/acme/keys/demo-signing-key.pem)
  --check      generate and compare with --out, writing nothing; exit 1 when a file differs
  --new-key    create a new demo key pair first (FILE and examples/acme/keys/release.pub); the old
               signatures then no longer verify until the evidence is regenerated
Runs vitest and evident validate (a few seconds). Exit 0 on success, 1 on failure, 2 on usage errors.`;

// ---------------------------------------------------------------------------
// Time: every timestamp is an offset before the reference instant.

const HOUR = 3600_000;
/** The instant `days` days and `hours` hours (and `minutes`) before the reference instant. */
function ago(days: number, hours = 0, minutes = 0): string {
  return new Date(Date.parse(REFERENCE_NOW) - days * 24 * HOUR - hours * HOUR - minutes * 60_000).toISOString();
}
const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

// ---------------------------------------------------------------------------
// The organisation, its projects and the story their evidence tells.

const org = { name: 'Acme Corp', git: 'https://github.acme.example', registry: 'registry.acme.example' };

interface Finding {
  id: string;
  aliases?: string[];
  package: string;
  severity: 'Low' | 'Medium' | 'High' | 'Critical';
  title: string;
  description: string;
}

interface DemoProject {
  name: string;
  kind: 'container' | 'web' | 'cli';
  version: string;
  description: string;
  /** Direct dependencies, real npm packages of this repository's lock; their closure is the SBOM. */
  roots: string[];
  /** Enrich components with a supplier (NTIA minimum elements); the CLI's pipeline does not. */
  suppliers: boolean;
  /** When the release was built (start of the CI run). */
  built: string;
  /** When `evident validate` (SARIF) ran. */
  linted: string;
  /** When the test suite ran. */
  tested: string;
}

const projects: DemoProject[] = [
  {
    name: 'payments-api',
    kind: 'container',
    version: '2.4.0',
    description: 'Payments API (container service)',
    roots: ['ajv', 'fast-xml-parser', 'jsonata', 'pdfkit', 'yaml'],
    suppliers: true,
    built: ago(1, 15, 0), // 2026-11-13T09:00Z
    linted: ago(1, 14, 56),
    tested: ago(1, 14, 52),
  },
  {
    name: 'web-console',
    kind: 'web',
    version: '2.4.0',
    description: 'Web console (static web front end)',
    roots: ['rehype-sanitize', 'rehype-stringify', 'remark-gfm', 'remark-parse', 'remark-rehype', 'unified'],
    suppliers: true,
    built: ago(0, 22, 30), // 2026-11-14T01:30Z
    linted: ago(0, 22, 26),
    tested: ago(0, 22, 22),
  },
  {
    name: 'acme-cli',
    kind: 'cli',
    version: '2.3.1',
    description: 'Acme command-line client',
    roots: ['fastest-levenshtein', 'spdx-expression-parse', 'spdx-license-ids', 'yaml'],
    suppliers: false,
    built: ago(12, 10, 0), // 2026-11-02T14:00Z: the last release; its lint (SARIF) is older than a week
    linted: ago(12, 10, 5),
    tested: ago(0, 21, 0), // the nightly test run on main, 2026-11-14T03:00Z
  },
];

/** Where a fictitious advisory "lives": a reserved .example domain, never a real advisory database. */
const advisoryUrl = (id: string) => `https://advisories.acme.example/demo/${id}`;

const demoNote =
  'evident demo: written by scripts/generate-demo-evidence.ts in this format; the findings are FICTITIOUS (ids GHSA-demo-… and CVE-DEMO-…) and the real packages named are not known to be affected.';

/** The one finding listed in the demo KEV excerpt (by its alias). */
const kevId = 'CVE-DEMO-2026-0001';

const findings = {
  // payments-api: a HIGH in the KEV excerpt, resolved by VEX (not_affected) ...
  fontkitHigh: {
    id: 'GHSA-demo-c3w8-5hq2-k7rn',
    aliases: [kevId],
    package: 'fontkit',
    severity: 'High',
    title: 'DEMO (fictitious): crafted font files can cause an out-of-bounds read',
    description: 'Fictitious finding for the evident demo. A crafted TrueType font may cause an out-of-bounds read while parsing. Listed in the demo KEV excerpt.',
  },
  // ... and a MEDIUM, which fails the MEDIUM contract entry but not the HIGH requirement.
  xmlMedium: {
    id: 'GHSA-demo-7m2q-p4xv-91fk',
    package: 'fast-xml-parser',
    severity: 'Medium',
    title: 'DEMO (fictitious): deeply nested XML can exhaust the parser stack',
    description: 'Fictitious finding for the evident demo. Parsing a deeply nested document may exhaust the call stack (denial of service).',
  },
  // web-console: a LOW seen by both scanners, and a HIGH first reported by Trivy less than a day before the reference date.
  debugLow: {
    id: 'GHSA-demo-2f9h-w6c4-q8mz',
    package: 'debug',
    severity: 'Low',
    title: 'DEMO (fictitious): namespace strings are not escaped in log output',
    description: 'Fictitious finding for the evident demo. Namespace strings containing control characters are written to the log unescaped.',
  },
  hastHigh: {
    id: 'GHSA-demo-9x4r-j2vd-h6tp',
    package: 'mdast-util-to-hast',
    severity: 'High',
    title: 'DEMO (fictitious): crafted link definitions can yield unsafe href values',
    description: 'Fictitious finding for the evident demo. A crafted Markdown link definition may produce an href that a later sanitiser does not expect.',
  },
} satisfies Record<string, Finding>;

// ---------------------------------------------------------------------------
// Packages: the closure of each project's roots in this repository's lock.

interface Lock extends PackageLock {
  packages: Record<string, LockEntry>;
}

function readLock(): Lock {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  if (!lock.packages) throw new Error('package-lock.json has no "packages" map (lockfileVersion 2 or 3 is needed).');
  return lock;
}

/** The lock paths a project installs: its roots and everything they depend on, sorted. */
function closure(lock: Lock, roots: string[]): string[] {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const root of roots) {
    const at = resolveIn(lock.packages, '', root);
    if (!at) throw new Error(`The demo package "${root}" is not in package-lock.json; update the package lists in scripts/generate-demo-evidence.ts.`);
    stack.push(at);
  }
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const entry = lock.packages[at];
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const target = resolveIn(lock.packages, at, dependency);
      if (target) stack.push(target);
    }
  }
  return [...seen].sort(compareText);
}

interface Manifest {
  name?: string;
  license?: unknown;
  licenses?: unknown;
  author?: unknown;
  repository?: unknown;
}

function manifestAt(lockPath: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, lockPath, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function installedLicense(lockPath: string): string | undefined {
  const m = manifestAt(lockPath);
  if (!m) return undefined;
  if (typeof m.license === 'string') return m.license;
  if (m.license && typeof (m.license as { type?: unknown }).type === 'string') return (m.license as { type: string }).type;
  if (Array.isArray(m.licenses)) {
    const types = m.licenses.map((l: { type?: unknown }) => l?.type).filter((t): t is string => typeof t === 'string');
    if (types.length) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

/**
 * The supplier of a package, from its package.json: the owner of its source repository
 * (github.com/<owner>/…), else its author's name. The organisation that publishes the
 * package, which is what NTIA's "supplier name" asks for.
 */
function supplierOf(lockPath: string): { name: string; url?: string } | undefined {
  const m = manifestAt(lockPath);
  if (!m) return undefined;
  const repo = typeof m.repository === 'string' ? m.repository : typeof (m.repository as { url?: unknown })?.url === 'string' ? (m.repository as { url: string }).url : undefined;
  const hosted = repo ? /(?:github\.com|gitlab\.com)[/:]([^/]+)\//.exec(repo) ?? /^(?:github:)?([A-Za-z0-9_.-]+)\/[A-Za-z0-9_.-]+$/.exec(repo) : null;
  if (hosted) {
    const host = repo!.includes('gitlab.com') ? 'gitlab.com' : 'github.com';
    return { name: hosted[1], url: `https://${host}/${hosted[1]}` };
  }
  const author = typeof m.author === 'string' ? m.author.replace(/\s*[<(].*$/, '').trim() : typeof (m.author as { name?: unknown })?.name === 'string' ? (m.author as { name: string }).name : undefined;
  return author ? { name: author } : undefined;
}

// ---------------------------------------------------------------------------
// Artifacts, commits and purls: derived from fixed text, so stable.

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** The release artifact's digest. The artifact is not built; its digest stands for it. */
const artifactDigest = (p: DemoProject) => sha256(`evident demo release artifact: ${p.name} ${p.version}`);
const commitOf = (p: DemoProject) => sha1(`evident demo commit: ${p.name} v${p.version}`);
const repositoryOf = (p: DemoProject) => `${org.git}/platform/${p.name}`;

function artifactName(p: DemoProject): string {
  if (p.kind === 'container') return `${org.registry}/platform/${p.name}`;
  return `${p.name}-${p.version}.tgz`;
}

function artifactPurl(p: DemoProject): string {
  if (p.kind === 'container') return `pkg:oci/${p.name}@sha256%3A${artifactDigest(p)}?repository_url=${encodeURIComponent(`${org.registry}/platform/${p.name}`)}`;
  return npmPurl(`@acme/${p.name}`, p.version);
}

function versionOf(lock: Lock, pathsOfProject: string[], name: string): string {
  const at = pathsOfProject.find((p) => p === `node_modules/${name}`) ?? pathsOfProject.find((p) => p.endsWith(`/node_modules/${name}`));
  const version = at ? lock.packages[at].version : undefined;
  if (!version) throw new Error(`The demo finding's package "${name}" is not among the project's packages.`);
  return version;
}

// ---------------------------------------------------------------------------
// SBOM (CycloneDX 1.6)

async function sbomFor(p: DemoProject, lock: Lock, paths: string[], timestamp: string): Promise<string> {
  const rootEntry: LockEntry = { name: p.name, version: p.version, license: 'LicenseRef-Acme-Proprietary', dependencies: {} };
  const packages: Record<string, LockEntry> = { '': rootEntry };
  for (const root of p.roots) rootEntry.dependencies![root] = lock.packages[`node_modules/${root}`]?.version ?? '*';
  for (const at of paths) {
    // A runtime dependency of the demo project, whatever role it has in evident's own tree.
    const { dev: _dev, devOptional: _devOptional, optional: _optional, ...entry } = lock.packages[at];
    packages[at] = entry;
  }
  const bom = buildSbom({ name: p.name, version: p.version, lockfileVersion: 3, packages }, { timestamp: new Date(timestamp), installedLicense });

  // The artifact the SBOM describes, with its digest (what provenance and signatures name).
  const subject = bom.metadata.component!;
  subject.type = p.kind === 'container' ? Enums.ComponentType.Container : Enums.ComponentType.Application;
  subject.group = p.kind === 'container' ? undefined : '@acme';
  subject.purl = artifactPurl(p);
  subject.bomRef.value = artifactPurl(p);
  subject.description = p.description;
  subject.hashes.set(Enums.HashAlgorithm['SHA-256'], artifactDigest(p));
  subject.supplier = new Models.OrganizationalEntity({ name: org.name, url: new Set(['https://acme.example']) });
  subject.externalReferences.add(new Models.ExternalReference(repositoryOf(p), Enums.ExternalReferenceType.VCS));
  bom.metadata.supplier = new Models.OrganizationalEntity({ name: org.name, url: new Set(['https://acme.example']) });
  bom.metadata.authors.add(new Models.OrganizationalContact({ name: 'Acme Platform Engineering', email: 'platform@acme.example' }));
  // Tools: the CycloneDX library and this generator (buildSbom also listed the project itself).
  const tools = [...bom.metadata.tools.components].filter((t) => t.name === 'cyclonedx-library');
  bom.metadata.tools.components.clear();
  for (const t of tools) bom.metadata.tools.components.add(t);
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'generate-demo-evidence', { group: 'evident', description: 'scripts/generate-demo-evidence.ts of the evident repository (demo evidence)' }));
  bom.metadata.properties.add(new Models.Property('evident:demo', 'Generated for the evident demo over real npm packages of evident\'s package-lock.json.'));

  if (p.suppliers) {
    for (const component of bom.components) {
      const at = [...component.properties].find((x) => x.name === 'cdx:npm:package:path')?.value;
      const supplier = at ? supplierOf(at) : undefined;
      if (supplier) component.supplier = new Models.OrganizationalEntity({ name: supplier.name, ...(supplier.url ? { url: new Set([supplier.url]) } : {}) });
    }
  }
  const json = serializeSbom(bom);
  const { errors } = await validateCycloneDx(json);
  if (errors) throw new Error(`The ${p.name} SBOM is not valid CycloneDX 1.6: ${JSON.stringify(errors).slice(0, 2000)}`);
  return json;
}

// ---------------------------------------------------------------------------
// Vulnerability reports (Grype, Trivy), OpenVEX and the KEV excerpt.

interface Located {
  finding: Finding;
  version: string;
}

function grypeReport(p: DemoProject, found: Located[], timestamp: string): string {
  const target = p.kind === 'container' ? `${artifactName(p)}:${p.version}` : `sbom:${p.name}-${p.version}.cdx.json`;
  const doc = {
    matches: found.map(({ finding: f, version }) => ({
      vulnerability: {
        id: f.id,
        dataSource: advisoryUrl(f.id),
        namespace: 'github:language:javascript',
        severity: f.severity,
        urls: [advisoryUrl(f.id)],
        description: `${f.title}. ${f.description}`,
        cvss: [],
        fix: { versions: [], state: 'not-fixed' },
        advisories: [],
      },
      relatedVulnerabilities: (f.aliases ?? []).map((id) => ({ id, dataSource: advisoryUrl(id), namespace: 'nvd:cpe', severity: f.severity, urls: [], description: f.title, cvss: [] })),
      matchDetails: [
        {
          type: 'exact-direct-match',
          matcher: 'javascript-matcher',
          searchedBy: { language: 'javascript', namespace: 'github:language:javascript', package: { name: f.package, version } },
          found: { vulnerabilityID: f.id, versionConstraint: `<= ${version} (unknown)` },
        },
      ],
      artifact: {
        id: sha256(`${p.name} ${f.package}@${version}`).slice(0, 16),
        name: f.package,
        version,
        type: 'npm',
        locations: [{ path: p.kind === 'container' ? `/app/node_modules/${f.package}/package.json` : `/node_modules/${f.package}/package.json` }],
        language: 'javascript',
        licenses: [],
        cpes: [],
        purl: npmPurl(f.package, version),
        upstreams: [],
      },
    })),
    source:
      p.kind === 'container'
        ? { type: 'image', target: { userInput: target, imageID: `sha256:${sha256(`${p.name} image config`)}`, manifestDigest: `sha256:${artifactDigest(p)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', tags: [target], repoDigests: [`${artifactName(p)}@sha256:${artifactDigest(p)}`] } }
        : { type: 'sbom', target },
    distro: { name: '', version: '', idLike: null },
    descriptor: {
      name: 'grype',
      version: 'evident-demo',
      configuration: { 'x-evident-demo': demoNote },
      db: { built: ago(3), schemaVersion: 6 },
      timestamp,
    },
  };
  return json(doc);
}

function trivyReport(p: DemoProject, found: Located[], timestamp: string): string {
  const doc = {
    SchemaVersion: 2,
    CreatedAt: timestamp,
    ArtifactName: p.name,
    ArtifactType: 'filesystem',
    Metadata: { 'x-evident-demo': demoNote },
    Results: [
      {
        Target: 'package-lock.json',
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: found.map(({ finding: f, version }) => ({
          VulnerabilityID: f.id,
          ...(f.aliases?.length ? { VendorIDs: f.aliases } : {}),
          PkgID: `${f.package}@${version}`,
          PkgName: f.package,
          PkgIdentifier: { PURL: npmPurl(f.package, version) },
          InstalledVersion: version,
          Status: 'affected',
          SeveritySource: 'ghsa',
          PrimaryURL: advisoryUrl(f.id),
          Title: f.title,
          Description: f.description,
          Severity: f.severity.toUpperCase(),
          References: [advisoryUrl(f.id)],
        })),
      },
    ],
  };
  return json(doc);
}

function openVex(p: DemoProject, f: Finding, version: string, timestamp: string): string {
  const doc = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://acme.example/vex/${p.name}/${timestamp.slice(0, 10)}`,
    author: 'Acme Corp Product Security <security@acme.example>',
    role: 'Product Security Team',
    timestamp,
    version: 1,
    tooling: 'scripts/generate-demo-evidence.ts (evident demo; the vulnerability is fictitious)',
    statements: [
      {
        vulnerability: { name: f.id, aliases: f.aliases ?? [] },
        timestamp,
        products: [{ '@id': artifactPurl(p), subcomponents: [{ '@id': npmPurl(f.package, version) }] }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: `${p.name} renders invoice PDFs with the standard PDF fonts only; it never loads font files, so the font parser of ${f.package} is not reached.`,
      },
    ],
  };
  return json(doc);
}

function kevExcerpt(timestamp: string): string {
  const f = findings.fontkitHigh;
  const doc = {
    title: 'DEMO EXCERPT in the format of CISA\'s Known Exploited Vulnerabilities catalog — one FICTITIOUS entry for the evident demo, not CISA data',
    catalogVersion: `${timestamp.slice(0, 10).replaceAll('-', '.')}-evident-demo`,
    dateReleased: timestamp,
    count: 1,
    vulnerabilities: [
      {
        cveID: kevId,
        vendorProject: 'fontkit (demo, fictitious)',
        product: f.package,
        vulnerabilityName: 'DEMO (fictitious) fontkit out-of-bounds read',
        dateAdded: timestamp.slice(0, 10),
        shortDescription: `${f.description} This entry exists only in the evident demo.`,
        requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
        dueDate: addMinutes(timestamp, 21 * 24 * 60).slice(0, 10),
        knownRansomwareCampaignUse: 'Unknown',
        notes: 'Written by scripts/generate-demo-evidence.ts of the evident repository.',
        cwes: ['CWE-125'],
      },
    ],
  };
  return json(doc);
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0 from a real `evident validate` run.

interface Diag {
  file: string;
  line: number | null;
  column: number | null;
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  hint: string | null;
}

/** Each project's repository keeps its evident contract and proofs under compliance/; CI lints them. */
const lintFolders: Record<string, Record<string, string>> = {
  'payments-api': {
    'evident.yaml': `apiVersion: evident/v1
kind: Contract
metadata: {name: payments-api-release}
spec:
  policies:
    - ref: vulnerabilities
      with: {severity: MEDIUM}
    - ref: sbom-ntia-minimum
    - ref: artifact-signed
      periodicity: weekly
---
apiVersion: evident/v1
kind: Project
metadata: {name: payments-api}
spec:
  owner: payments-team@acme.example
  contracts: [payments-api-release]
`,
  },
  'web-console': {
    'evident.yaml': `apiVersion: evident/v1
kind: Contract
metadata: {name: web-console-release}
spec:
  policies:
    - ref: vulnerabilities
    - ref: sarif-findings
      with: {level: error}
    - ref: tests-passed
      with: {min: 1}
      owner: web-team@acme.example
---
apiVersion: evident/v1
kind: Project
metadata: {name: web-console}
spec:
  contracts: [web-console-release]
  pubic: true
`,
  },
  'acme-cli': {
    'evident.yaml': `apiVersion: evident/v1
kind: Contract
metadata: {name: acme-cli-release}
spec:
  policies:
    - ref: vulnerabilities
    - ref: tests-passed
---
apiVersion: evident/v1
kind: Project
metadata: {name: acme-cli}
spec:
  public: true
  contracts: [acme-cli-release]
`,
  },
};

/** A real `evident validate --format json` run, in this process through the CLI's entry point (as bin.ts runs it). */
async function lintRun(dir: string): Promise<{ diagnostics: Diag[]; exitCode: number }> {
  let stdout = '';
  const exitCode = await run(['validate', '--format', 'json', '--content', dir], { stdout: (t) => void (stdout += t), stderr: () => {}, cwd: repoRoot, env: {} });
  return { diagnostics: (JSON.parse(stdout) as { diagnostics: Diag[] }).diagnostics, exitCode };
}

function sarifOf(p: DemoProject, run: { diagnostics: Diag[]; exitCode: number }, evidentVersion: string): string {
  // Diagnostics about the content root itself (e.g. "not a git work tree": the lint ran on a
  // copy) are about the tool's environment: SARIF notifications, not results.
  const environment = run.diagnostics.filter((d) => d.file === '.');
  const located = run.diagnostics.filter((d) => d.file !== '.');
  const ruleIds = [...new Set(located.map((d) => d.code))].sort(compareText);
  const info = (code: string) => (codes as Record<string, { title: string; hint?: string }>)[code];
  const uri = (file: string) => `compliance/${file}`;
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'evident',
            semanticVersion: evidentVersion,
            version: evidentVersion,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: info(id)?.title ?? id },
              ...(info(id)?.hint ? { help: { text: info(id)!.hint! } } : {}),
              defaultConfiguration: { level: 'warning' },
            })),
          },
        },
        invocations: [
          {
            commandLine: 'evident validate --format json --content compliance',
            arguments: ['validate', '--format', 'json', '--content', 'compliance'],
            executionSuccessful: true,
            exitCode: run.exitCode,
            startTimeUtc: addMinutes(p.linted, -1),
            endTimeUtc: p.linted,
            toolExecutionNotifications: environment.map((d) => ({ level: d.severity, message: { text: d.message }, descriptor: { id: d.code } })),
            properties: { 'evident-demo': 'A real run of evident validate over a folder written by scripts/generate-demo-evidence.ts; start and end times are fixed for reproducible output.' },
          },
        ],
        versionControlProvenance: [{ repositoryUri: repositoryOf(p), revisionId: commitOf(p), branch: 'main' }],
        results: located.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIds.indexOf(d.code),
          level: d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(d.file), uriBaseId: 'SRCROOT' },
                ...(d.line ? { region: { startLine: d.line, ...(d.column ? { startColumn: d.column } : {}) } } : {}),
              },
            },
          ],
        })),
        originalUriBaseIds: { SRCROOT: { uri: `${repositoryOf(p)}/blob/${commitOf(p)}/` } },
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return json(doc);
}

// ---------------------------------------------------------------------------
// JUnit from a real vitest run of small test files.

const testFiles: Record<string, Record<string, string>> = {
  'payments-api': {
    'src/money.js': `export function toMinorUnits(amount, currency) {
  const digits = currency === 'JPY' ? 0 : 2;
  if (!/^-?\\d+(\\.\\d+)?$/.test(amount)) throw new Error('not a decimal amount: ' + amount);
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  if (fraction.length > digits) throw new Error('too many decimals for ' + currency);
  const units = BigInt(whole + fraction.padEnd(digits, '0'));
  return amount.startsWith('-') ? -units : units;
}
export function isIdempotencyKey(key) {
  return typeof key === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(key);
}
`,
    'test/money.test.js': `import { toMinorUnits, isIdempotencyKey } from '../src/money.js';
describe('toMinorUnits', () => {
  test('converts euros to cents', () => expect(toMinorUnits('12.34', 'EUR')).toBe(1234n));
  test('pads missing decimals', () => expect(toMinorUnits('7.5', 'EUR')).toBe(750n));
  test('keeps yen whole', () => expect(toMinorUnits('980', 'JPY')).toBe(980n));
  test('rejects too many decimals', () => expect(() => toMinorUnits('1.005', 'EUR')).toThrow(/too many decimals/));
  test('rejects non-numbers', () => expect(() => toMinorUnits('1e3', 'EUR')).toThrow(/not a decimal/));
  test('handles refunds (negative amounts)', () => expect(toMinorUnits('-3.10', 'EUR')).toBe(-310n));
});
describe('idempotency keys', () => {
  test('accepts a UUID-like key', () => expect(isIdempotencyKey('b7f2c6a0-4e1d-4c55-9f0e-2d8a1c3e5f70')).toBe(true));
  test('rejects short keys', () => expect(isIdempotencyKey('abc')).toBe(false));
});
`,
  },
  'web-console': {
    'src/escape.js': `const map = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => map[c]);
export function contentSecurityPolicy({ api }) {
  return ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", \`connect-src 'self' \${api}\`, "frame-ancestors 'none'"].join('; ');
}
`,
    'test/escape.test.js': `import { escapeHtml, contentSecurityPolicy } from '../src/escape.js';
describe('escapeHtml', () => {
  test('escapes markup', () => expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;'));
  test('escapes quotes', () => expect(escapeHtml('"a" & \\'b\\'')).toBe('&quot;a&quot; &amp; &#39;b&#39;'));
  test('leaves plain text alone', () => expect(escapeHtml('Invoice 2026-11')).toBe('Invoice 2026-11'));
});
describe('content security policy', () => {
  test('forbids framing', () => expect(contentSecurityPolicy({ api: 'https://api.acme.example' })).toContain("frame-ancestors 'none'"));
  test('allows only the API for fetch', () => expect(contentSecurityPolicy({ api: 'https://api.acme.example' })).toContain("connect-src 'self' https://api.acme.example"));
});
`,
  },
  'acme-cli': {
    'src/args.js': `export function parseArgs(argv) {
  const out = { command: undefined, flags: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.rest.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      out.flags[k] = v ?? (argv[i + 1] && !argv[i + 1].startsWith('-') ? argv[++i] : true);
    } else if (out.command === undefined) out.command = a;
    else out.rest.push(a);
  }
  return out;
}
`,
    'test/args.test.js': `import { parseArgs } from '../src/args.js';
describe('parseArgs', () => {
  test('reads the command', () => expect(parseArgs(['deploy']).command).toBe('deploy'));
  test('reads --flag=value', () => expect(parseArgs(['login', '--profile=prod']).flags.profile).toBe('prod'));
  test('reads --flag value', () => expect(parseArgs(['login', '--profile', 'prod']).flags.profile).toBe('prod'));
  test('treats a bare flag as true', () => expect(parseArgs(['status', '--json']).flags.json).toBe(true));
  test('stops at --', () => expect(parseArgs(['run', '--', '--not-a-flag']).rest).toEqual(['--not-a-flag']));
  // Platform-specific: skipped on Linux CI, so the JUnit evidence carries a real skipped case.
  test.skipIf(process.platform !== 'win32')('keeps Windows paths as given (Windows only)', () => expect(parseArgs(['open', 'C:\\\\Users\\\\me']).rest).toEqual(['C:\\\\Users\\\\me']));
});
`,
  },
};

/** The environment for child processes: without the variables of a surrounding vitest run. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST$|NODE_OPTIONS$|FORCE_COLOR$|NO_COLOR$)/.test(k)) env[k] = v;
  return env;
}

/** One vitest run over every project's tests; the JUnit report split per project. */
async function junitReports(workDir: string): Promise<Record<string, string>> {
  const root = path.join(workDir, 'tests');
  for (const [project, files] of Object.entries(testFiles)) writeFiles(path.join(root, project), files);
  writeFileSync(path.join(root, 'package.json'), '{"type": "module", "private": true}\n');
  writeFileSync(path.join(root, 'vitest.config.js'), 'export default { test: { globals: true, include: ["*/test/**/*.test.js"] } };\n');
  const out = path.join(workDir, 'junit.xml');
  try {
    await execFileAsync(process.execPath, [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, '--reporter=junit', `--outputFile=${out}`], { cwd: root, encoding: 'utf8', env: childEnv(), maxBuffer: 1 << 26 });
  } catch (error) {
    if (!existsSync(out)) throw error; // a failing test still writes its report; no report is a real failure
  }
  const xml = readFileSync(out, 'utf8');
  const suites = [...xml.matchAll(/<testsuite [\s\S]*?<\/testsuite>/g)].map((m) => m[0]);
  const reports: Record<string, string> = {};
  for (const p of projects) {
    const mine = suites.filter((s) => attr(s, 'name')?.startsWith(`${p.name}/`)).sort((a, b) => compareText(attr(a, 'name')!, attr(b, 'name')!));
    if (mine.length === 0) throw new Error(`vitest reported no test suite for ${p.name}:\n${xml}`);
    reports[p.name] = junitDocument(p, mine);
  }
  return reports;
}

const attr = (element: string, name: string) => new RegExp(`^<[^>]*\\s${name}="([^"]*)"`).exec(element)?.[1];

/** Fixes what differs between runs (time stamps, host, durations) and says so in a property. */
function junitDocument(p: DemoProject, suites: string[]): string {
  const fixed = suites.map((s) =>
    s
      .replace(/(<testsuite [^>]*?)name="[^/"]*\//, '$1name="')
      .replace(/(<testcase [^>]*?)classname="[^/"]*\//g, '$1classname="')
      .replace(/ timestamp="[^"]*"/, ` timestamp="${p.tested}"`)
      .replace(/ hostname="[^"]*"/, ' hostname="ci-runner"')
      .replace(/ time="[^"]*"/g, ' time="0"')
      .replace(/^(<testsuite [^>]*>)/, `$1\n        <properties>\n            <property name="evident-demo" value="A real vitest run (--reporter=junit) of tests written by scripts/generate-demo-evidence.ts; timestamp, hostname and durations are fixed for reproducible output."/>\n        </properties>`),
  );
  const sum = (key: string) => suites.reduce((n, s) => n + Number(attr(s, key) ?? 0), 0);
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="0">\n    ${fixed.join('\n    ')}\n</testsuites>\n`;
}

// ---------------------------------------------------------------------------
// SLSA v1 provenance in a DSSE envelope, signed with ECDSA P-256 and RFC 6979
// deterministic nonces (node:crypto draws a random nonce per signature, which
// would make every regeneration differ).

const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  g: [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n] as const,
};
type Point = readonly [bigint, bigint] | null;
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function invert(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function pointAdd(a: Point, b: Point): Point {
  if (!a) return b;
  if (!b) return a;
  const { p } = P256;
  let slope: bigint;
  if (a[0] === b[0]) {
    if (mod(a[1] + b[1], p) === 0n) return null;
    slope = mod((3n * a[0] * a[0] + P256.a) * invert(2n * a[1], p), p);
  } else {
    slope = mod((b[1] - a[1]) * invert(b[0] - a[0], p), p);
  }
  const x = mod(slope * slope - a[0] - b[0], p);
  return [x, mod(slope * (a[0] - x) - a[1], p)];
}

function pointMultiply(k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = pointAdd(result, addend);
    addend = pointAdd(addend, addend);
  }
  return result;
}

const octets = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const toInt = (b: Buffer) => BigInt(`0x${b.toString('hex')}`);

/** ECDSA P-256 / SHA-256 with the nonce of RFC 6979 section 3.2; the signature in DER. */
export function signDeterministic(privateKey: KeyObject, message: Buffer): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.d) throw new Error('The demo signing key must be an ECDSA P-256 private key.');
  const d = toInt(Buffer.from(jwk.d, 'base64url'));
  const { n } = P256;
  const h = createHash('sha256').update(message).digest();
  const z = toInt(h);
  const hmac = (key: Buffer, ...parts: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
  let v = Buffer.alloc(32, 1);
  let k = Buffer.alloc(32, 0);
  k = hmac(k, v, Buffer.from([0]), octets(d), octets(mod(z, n)));
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([1]), octets(d), octets(mod(z, n)));
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const nonce = toInt(v);
    if (nonce >= 1n && nonce < n) {
      const r = mod(pointMultiply(nonce, P256.g)![0], n);
      const s = mod(invert(nonce, n) * (z + r * d), n);
      if (r !== 0n && s !== 0n) return derSignature(r, s);
    }
    k = hmac(k, v, Buffer.from([0]));
    v = hmac(k, v);
  }
}

function derSignature(r: bigint, s: bigint): Buffer {
  const integer = (x: bigint) => {
    let bytes = Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
    while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
    if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** DSSE pre-authentication encoding. */
function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

function provenanceEnvelope(p: DemoProject, key: KeyObject, publicKey: KeyObject): string {
  const finished = addMinutes(p.built, 16);
  const runId = BigInt(`0x${sha1(`run ${p.name} ${p.version}`).slice(0, 10)}`).toString();
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: artifactName(p), digest: { sha256: artifactDigest(p) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: `refs/tags/v${p.version}`, repository: repositoryOf(p), path: '.github/workflows/release.yml' } },
        internalParameters: { github: { event_name: 'push', repository_id: String(100000 + projects.indexOf(p)), repository_owner_id: '4200' } },
        resolvedDependencies: [{ uri: `git+${repositoryOf(p)}@refs/tags/v${p.version}`, digest: { gitCommit: commitOf(p) } }],
      },
      runDetails: {
        builder: { id: `${org.git}/actions/runner/github-hosted` },
        metadata: { invocationId: `${repositoryOf(p)}/actions/runs/${runId}/attempts/1`, startedOn: p.built, finishedOn: finished },
      },
    },
  };
  const payloadType = 'application/vnd.in-toto+json';
  const payload = Buffer.from(JSON.stringify(statement));
  const signature = signDeterministic(key, pae(payloadType, payload));
  if (!verify('sha256', pae(payloadType, payload), { key: publicKey, dsaEncoding: 'der' }, signature)) throw new Error('The provenance signature does not verify with keys/release.pub; is it the public half of the signing key?');
  const keyid = sha256(publicKey.export({ type: 'spki', format: 'der' }));
  return json({ payloadType, payload: payload.toString('base64'), signatures: [{ keyid, sig: signature.toString('base64') }] });
}

// ---------------------------------------------------------------------------
// gitleaks and branch protection (neither format carries a timestamp).

function branchProtection(p: DemoProject): string {
  const api = `${org.git}/api/v3/repos/platform/${p.name}/branches/main/protection`;
  // web-console's repository relies on the organisation-wide ruleset instead (see its override).
  const strict = p.name !== 'web-console';
  return json({
    url: api,
    required_status_checks: { url: `${api}/required_status_checks`, strict: true, contexts: ['build', 'test', 'evident-lint'], checks: ['build', 'test', 'evident-lint'].map((context) => ({ context, app_id: 15368 })) },
    required_pull_request_reviews: {
      url: `${api}/required_pull_request_reviews`,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: p.name === 'payments-api',
      require_last_push_approval: strict,
      required_approving_review_count: p.name === 'payments-api' ? 2 : 1,
    },
    required_signatures: { url: `${api}/required_signatures`, enabled: strict },
    enforce_admins: { url: `${api}/enforce_admins`, enabled: strict },
    required_linear_history: { enabled: true },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: true },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  });
}

// ---------------------------------------------------------------------------

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

export interface GenerateOptions {
  /** The private demo key (PEM). */
  keyFile?: string;
  /** The public key the signatures must verify with (PEM). */
  publicKeyFile?: string;
}

/** Every evidence file of the demo: path relative to the evidence folder → content. */
export async function generateDemoEvidence(options: GenerateOptions = {}): Promise<Map<string, string>> {
  const keyFile = options.keyFile ?? defaultKey;
  if (!existsSync(keyFile)) throw new Error(`The demo signing key ${path.relative(repoRoot, keyFile)} is missing; run with --new-key to create one.`);
  const key = createPrivateKey(readFileSync(keyFile));
  const publicKey = createPublicKey(readFileSync(options.publicKeyFile ?? publicKeyFile));
  const evidentVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const lock = readLock();
  const work = mkdtempSync(path.join(tmpdir(), 'evident-demo-'));
  const files = new Map<string, string>();
  try {
    // The real runs: vitest once for all projects, evident validate once per project (in parallel).
    for (const [project, folder] of Object.entries(lintFolders)) writeFiles(path.join(work, 'lint', project, 'compliance'), folder);
    const tests = junitReports(work);
    const lints: Awaited<ReturnType<typeof lintRun>>[] = [];
    for (const p of projects) lints.push(await lintRun(path.join(work, 'lint', p.name, 'compliance')));
    const junit = await tests;

    files.set('_shared/kev-demo-excerpt.json', kevExcerpt(ago(2, 9))); // 2026-11-12T15:00Z
    for (const [i, p] of projects.entries()) {
      const paths = closure(lock, p.roots);
      const at = (f: Finding): Located => ({ finding: f, version: versionOf(lock, paths, f.package) });
      const dir = `${p.name}/`;
      files.set(`${dir}sbom.cdx.json`, await sbomFor(p, lock, paths, addMinutes(p.built, 18)));
      files.set(`${dir}provenance.dsse.json`, provenanceEnvelope(p, key, publicKey));
      files.set(`${dir}evident-lint.sarif`, sarifOf(p, lints[i], evidentVersion));
      files.set(`${dir}junit.xml`, junit[p.name]);
      files.set(`${dir}gitleaks.json`, '[]\n');
      files.set(`${dir}branch-protection.json`, branchProtection(p));
      if (p.name === 'payments-api') {
        // The release scan finds a HIGH (in the KEV excerpt) and a MEDIUM; product security
        // answers the HIGH with a VEX statement the same afternoon.
        files.set(`${dir}grype.json`, grypeReport(p, [at(findings.fontkitHigh), at(findings.xmlMedium)], addMinutes(p.built, 24)));
        files.set(`${dir}vex.openvex.json`, openVex(p, findings.fontkitHigh, at(findings.fontkitHigh).version, addMinutes(p.built, 7 * 60 + 5)));
      } else if (p.name === 'web-console') {
        // The weekly Grype scan (2026-11-09) saw only a LOW; the nightly Trivy scan of
        // 2026-11-14 reports a new HIGH: failing since then, within the 72 h SLA.
        files.set(`${dir}grype.json`, grypeReport(p, [at(findings.debugLow)], ago(5, 22)));
        files.set(`${dir}trivy.json`, trivyReport(p, [at(findings.debugLow), at(findings.hastHigh)], ago(0, 21, 50)));
      } else {
        // The nightly Trivy scan of the CLI's lockfile: clean.
        files.set(`${dir}trivy.json`, trivyReport(p, [], ago(0, 21, 10)));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return new Map([...files].sort(([a], [b]) => compareText(a, b)));
}

/**
 * Writes the files into `out` (unchanged files are left alone, keeping their mtime); with
 * `prune`, also deletes files under `out` that the generator no longer writes. Returns the
 * paths deleted.
 */
export function writeEvidence(out: string, files: Map<string, string>, prune = false): string[] {
  for (const [rel, text] of files) {
    const target = path.join(out, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
    writeFileSync(`${target}.tmp`, text);
    renameSync(`${target}.tmp`, target);
  }
  const stale = prune ? listFiles(out).filter((rel) => !files.has(rel)) : [];
  for (const rel of stale) rmSync(path.join(out, rel));
  return stale;
}

/** Files under `dir`, relative, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort(compareText);
}

function newKey(keyFile: string): void {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  mkdirSync(path.dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  console.error(`wrote a new demo key pair: ${path.relative(repoRoot, keyFile)}, ${path.relative(repoRoot, publicKeyFile)}`);
}

async function main(argv: string[]): Promise<number> {
  let out = defaultOut;
  let keyFile = defaultKey;
  let check = false;
  let createKey = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      return 0;
    } else if (arg === '--check') check = true;
    else if (arg === '--new-key') createKey = true;
    else if ((arg === '--out' || arg === '--key') && i + 1 < argv.length) {
      if (arg === '--out') out = path.resolve(argv[++i]);
      else keyFile = path.resolve(argv[++i]);
    } else if (arg.startsWith('--out=')) out = path.resolve(arg.slice('--out='.length));
    else if (arg.startsWith('--key=')) keyFile = path.resolve(arg.slice('--key='.length));
    else {
      console.error(`Unknown argument "${arg}".\n${usage}`);
      return 2;
    }
  }
  if (createKey) newKey(keyFile);
  let files: Map<string, string>;
  try {
    files = await generateDemoEvidence({ keyFile });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  if (check) {
    const differing = [...files].filter(([rel, text]) => !existsSync(path.join(out, rel)) || readFileSync(path.join(out, rel), 'utf8') !== text).map(([rel]) => rel);
    const extra = listFiles(out).filter((rel) => !files.has(rel));
    for (const rel of differing) console.error(`differs: ${rel}`);
    for (const rel of extra) console.error(`not generated: ${rel}`);
    if (differing.length || extra.length) {
      console.error('The evidence is not what the generator writes; run `node scripts/generate-demo-evidence.ts`.');
      return 1;
    }
    console.error(`${files.size} files match.`);
    return 0;
  }
  // The default evidence folder belongs to the generator: files it no longer writes are removed.
  const removed = writeEvidence(out, files, out === defaultOut);
  for (const rel of removed) console.error(`removed ${rel} (no longer generated)`);
  console.error(`wrote ${files.size} files under ${path.relative(repoRoot, out) || out} (reference date ${REFERENCE_DATE})`);
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
