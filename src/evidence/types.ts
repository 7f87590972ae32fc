// The small typed model that every evidence reader normalises into, and that
// policies read. Readers never throw on bad content: problems are returned.

export const evidenceKinds = [
  'cyclonedx',
  'spdx',
  'slsa-provenance',
  'sigstore-bundle',
  'grype',
  'trivy',
  'osv-scanner',
  'npm-audit',
  'openvex',
  'sarif',
  'junit',
  'scorecard',
  'gitleaks',
  'github-branch-protection',
  'kev',
  'file',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export type VulnSeverity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNKNOWN';

export interface Component {
  name?: string;
  version?: string;
  purl?: string;
  cpe?: string;
  swid?: string;
  spdxId?: string;
  bomRef?: string;
  supplier?: string;
  /** The component's licences as one SPDX expression (ids ANDed when listed separately); undefined when none declared. */
  licenseExpression?: string;
  /** Licence names that are not SPDX ids or expressions (free text). */
  licenseNames?: string[];
  /** Lower-case algorithm (sha256, sha512, sha1) → lower-case hex. */
  hashes: Record<string, string>;
}

export interface Sbom {
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  timestamp?: string;
  authors: string[];
  tools: string[];
  /** The thing the SBOM describes (CycloneDX metadata.component, SPDX documentDescribes). */
  subject?: Component;
  components: Component[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export interface Vulnerability {
  id: string;
  aliases: string[];
  severity: VulnSeverity;
  /** The severity word as the scanner wrote it. */
  rawSeverity?: string;
  package?: { name?: string; version?: string; purl?: string };
  fixedVersions?: string[];
  title?: string;
}

export interface VulnerabilityReport {
  scanner: 'grype' | 'trivy' | 'osv-scanner' | 'npm-audit' | 'cyclonedx';
  target?: string;
  vulnerabilities: Vulnerability[];
}

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  /** purls (or other product ids) the statement is about; empty = every product. */
  products: string[];
  status: VexStatus;
  justification?: string;
  timestamp?: string;
}

export interface Vex {
  statements: VexStatement[];
}

export type Digest = Record<string, string>;

export interface Subject {
  name?: string;
  digest: Digest;
}

/** What is needed to check a signature offline (with a given key or a committed trusted root). */
export interface SignatureMaterial {
  kind: 'dsse' | 'message-signature' | 'cosign-legacy';
  /** DSSE: payload type and base64 payload; signature over PAE(payloadType, payload). */
  payloadType?: string;
  payload?: string;
  /** base64 signature. */
  signature: string;
  keyid?: string;
  /** PEM of the signing certificate when the bundle carries one. */
  certificatePem?: string;
  /** message-signature: the digest that was signed. */
  messageDigest?: { algorithm: string; digest: string };
  /** The whole Sigstore bundle as JSON, for @sigstore/verify. */
  bundle?: unknown;
}

export interface Provenance {
  predicateType: string;
  slsaVersion: '0.2' | '1';
  builderId?: string;
  buildType?: string;
  subjects: Subject[];
  finishedOn?: string;
  envelope: 'statement' | 'dsse' | 'sigstore-bundle' | 'npm-attestations';
  /** true when wrapped in a signed envelope (DSSE with at least one signature). */
  signed: boolean;
  signature?: SignatureMaterial;
}

export interface SignatureBundle {
  format: 'sigstore-bundle' | 'cosign-legacy';
  mediaType?: string;
  /** Subjects whose digests the signature covers (message digest, or in-toto subjects). */
  subjects: Subject[];
  predicateType?: string;
  material: SignatureMaterial;
  /** Integrated time of the transparency-log entry, when present (ISO). */
  integratedTime?: string;
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifResult {
  ruleId?: string;
  level: SarifLevel;
  message: string;
  suppressed: boolean;
  location?: string;
}

export interface SarifLog {
  version: string;
  runs: { tool: string; results: SarifResult[] }[];
}

export interface TestCase {
  name: string;
  classname?: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  message?: string;
}

export interface TestReport {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timestamp?: string;
  cases: TestCase[];
}

export interface Scorecard {
  repo?: string;
  date?: string;
  score: number;
  checks: { name: string; score: number; reason?: string }[];
}

export interface SecretsReport {
  findings: { ruleId: string; file?: string; line?: number; commit?: string; description?: string }[];
}

export interface BranchProtection {
  branch?: string;
  requiredReviews: number;
  enforceAdmins: boolean;
  requireCodeOwnerReviews?: boolean;
  requiredSignatures?: boolean;
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  requiredStatusChecks?: string[];
}

export interface KevCatalog {
  version?: string;
  dateReleased?: string;
  cves: string[];
}

/** Everything a reader can extract; a file may fill several (a CycloneDX BOM can be SBOM, scan and VEX). */
export interface EvidenceData {
  sbom?: Sbom;
  scan?: VulnerabilityReport;
  vex?: Vex;
  provenance?: Provenance[];
  signatures?: SignatureBundle[];
  sarif?: SarifLog;
  tests?: TestReport;
  scorecard?: Scorecard;
  secrets?: SecretsReport;
  branchProtection?: BranchProtection;
  kev?: KevCatalog;
}

export interface ReaderProblem {
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  hint?: string;
  line?: number;
  column?: number;
}

/** The outcome of reading one evidence file. */
export interface ReadResult {
  kind: EvidenceKind;
  /** Sub-format, for display: "CycloneDX 1.6 JSON", "SPDX 2.3", "Grype", … */
  format?: string;
  data: EvidenceData;
  /** The timestamp from the content, where the format has one (ISO 8601, UTC). */
  timestamp?: string;
  /** The document as JSON (XML read into its JSON form), for declarative policies. */
  json?: unknown;
  problems: ReaderProblem[];
}
