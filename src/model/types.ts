// The plain model that loading produces and evaluation reads. No I/O here.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { EvidenceData, EvidenceKind } from '../evidence/types.ts';
import type { Facets } from '../evidence/facets.ts';

/** Where something was written: a content file (relative path) and 1-based position. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export interface Signature {
  /** git's %G? letter: G good, U good with unknown validity, B bad, X/Y expired, R revoked, E cannot check, N none. */
  status: string;
  signed: boolean;
  signer?: string;
  key?: string;
  /** Why it does not count as signed, in git's words where git gives them. */
  reason?: string;
}

export interface CommitInfo {
  sha: string;
  /** Committer date, ISO 8601 UTC. */
  date: string;
  author: string;
  authorEmail: string;
  subject: string;
  signature: Signature;
}

export interface GitFileInfo {
  /** The commit that last changed the file. */
  last?: CommitInfo;
  /** The commit that added the file (its current incarnation). */
  added?: CommitInfo;
  /** The file has uncommitted changes. */
  dirty: boolean;
  /** Earlier versions of the file: blob id and the commit that wrote it, newest first. */
  versions: { blob: string; commit: CommitInfo }[];
}

export interface Metadata {
  name: string;
  displayName?: string;
  description?: string;
  annotations: Record<string, string>;
}

export type ApiVersion = 'evident/v1' | 'chainloop.dev/v1';

export interface ResourceBase {
  apiVersion: ApiVersion;
  metadata: Metadata;
  source: SourceRef;
  /** Where each list reference was written, by `field.index` (e.g. `contracts.0`), for diagnostics at the reference. */
  refSources?: Record<string, SourceRef>;
  /** Shipped with evident rather than written in content. */
  builtin: boolean;
}

export type Relationship = 'equal' | 'subset' | 'superset' | 'intersects';

export interface RequirementRef {
  ref: string;
  relationship: Relationship;
  rationale?: string;
  source: SourceRef;
}

export interface Section {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  requirements: RequirementRef[];
  sections: Section[];
  /** A section that lists requirements directly is a control. */
  isControl: boolean;
  source: SourceRef;
}

export interface Control {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  /** Names of the grouping sections above it, outermost first. */
  path: string[];
  requirements: RequirementRef[];
  source: SourceRef;
}

export interface Framework extends ResourceBase {
  kind: 'Framework';
  sections: Section[];
  /** Every control in document order (the implicit top-level control first). */
  controls: Control[];
}

export interface Periodicity {
  /** As written: `daily`, `P6M`, … */
  text: string;
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface RequirementPolicy {
  ref: string;
  with: Record<string, unknown>;
  periodicity?: Periodicity;
  /** Hours a failure may last before it counts. */
  sla?: number;
  source: SourceRef;
}

export interface ManualProofSpec {
  name: string;
  description?: string;
  optional: boolean;
  periodicity?: Periodicity;
  source: SourceRef;
}

export interface Requirement extends ResourceBase {
  kind: 'Requirement';
  active: boolean;
  scope: 'PROJECT' | 'PRODUCT';
  categories: string[];
  policies: RequirementPolicy[];
  manualProofs: ManualProofSpec[];
}

/** A declarative content policy (JSONata). */
export interface CustomPolicy extends ResourceBase {
  kind: 'Policy';
  kinds: EvidenceKind[];
  parameters: Record<string, unknown>;
  violations: string;
  /** Position of the expression, for diagnostics. */
  expressionSource: SourceRef;
}

export interface ContractEntry {
  ref: string;
  with: Record<string, unknown>;
  /** Explicit matches: `framework/requirement`. */
  requirements: string[];
  source: SourceRef;
}

export interface Contract extends ResourceBase {
  kind: 'Contract';
  policies: ContractEntry[];
}

export interface Project extends ResourceBase {
  kind: 'Project';
  /** Evidence folder relative to the content root. */
  evidence: string;
  owner?: string;
  public: boolean;
  confidential: boolean;
  contracts: string[];
  policies: ContractEntry[];
}

export interface ApplicabilityEntry {
  requirement?: string;
  control?: string; // framework/control-id
  projects?: string[]; // undefined = the product and all its projects
  rationale?: string;
  source: SourceRef;
}

/** The commit that last changed an entry's lines (git blame); null when uncommitted or unknown. */
export type ChangedBy = CommitInfo | null;

export interface ExceptionEntry {
  changedBy?: ChangedBy;
  requirement: string;
  projects?: string[];
  rationale?: string;
  approvedBy?: string;
  owner?: string;
  /** YYYY-MM-DD; applies through the end of that day (UTC). */
  expires?: string;
  source: SourceRef;
}

export interface OverrideEntry {
  changedBy?: ChangedBy;
  requirement: string;
  projects?: string[];
  status: 'PASSED' | 'FAILED';
  rationale?: string;
  by?: string;
  date?: string;
  source: SourceRef;
}

export interface Product extends ResourceBase {
  kind: 'Product';
  version?: string;
  owner?: string;
  projects: string[];
  frameworks: string[];
  applicability: ApplicabilityEntry[];
  exceptions: ExceptionEntry[];
  overrides: OverrideEntry[];
}

export interface ConfigSpec {
  organization?: string;
  autoMatch: boolean;
  requireSignedEvidence: boolean;
  signers?: { allowedSigners?: string; keyring?: string };
  audit?: { period?: { start: string; end: string } };
  portal: { title?: string; baseUrl: string };
  limits: { maxFileBytes: number; policyMillis: number; maxFiles: number };
}

export interface Proof {
  file: string;
  requirement: string;
  proof: string;
  project?: string;
  product?: string;
  /** ISO date-time (UTC) the proof was performed; undefined when unknown (shallow clone). */
  date?: string;
  dateSource: 'front-matter' | 'commit' | 'mtime' | 'unknown';
  result: 'pass' | 'fail';
  attachments: { path: string; sha256?: string; size?: number }[];
  public: boolean;
  confidential: boolean;
  /** Markdown body (rendered and sanitised by the renderers). */
  body: string;
  title?: string;
  sha256: string;
  git: GitFileInfo;
  source: SourceRef;
}

export interface EvidenceItem {
  /** Relative to the content root. */
  path: string;
  /** Project name, or null for evidence/_shared. */
  project: string | null;
  /** The folder the item is in, relative to the content root (a project's evidence folder or a sub-folder). */
  stream: string;
  kind: EvidenceKind;
  format?: string;
  size: number;
  sha256: string;
  blob?: string;
  git: GitFileInfo;
  /** ISO 8601 UTC; undefined when unknown (shallow clone beyond the boundary). */
  timestamp?: string;
  timestampSource: 'content' | 'commit' | 'mtime' | 'unknown';
  data: EvidenceData;
  /** What `data` holds (each field present, with its length where it is a list), known without reading it. */
  facets: Facets;
  /** The document as JSON, kept only for kinds a declarative policy reads. */
  json?: unknown;
  /** The reader found errors in it; policies that need it say so. */
  broken: boolean;
  /** An earlier git version of a current evidence path (an earlier run of its stream). */
  historical?: boolean;
}

export interface GitState {
  available: boolean;
  shallow: boolean;
  head?: CommitInfo;
  dirty: boolean;
  /** Commits that touched the content root, newest first (for commits-signed and history). */
  commits: CommitInfo[];
}

export interface Model {
  config: ConfigSpec;
  configSource?: SourceRef;
  frameworks: Record<string, Framework>;
  requirements: Record<string, Requirement>;
  policies: Record<string, CustomPolicy>;
  contracts: Record<string, Contract>;
  projects: Record<string, Project>;
  products: Record<string, Product>;
  proofs: Proof[];
  evidence: EvidenceItem[];
  /** Earlier git versions of current evidence paths, oldest runs included. */
  evidenceHistory: EvidenceItem[];
  /** Small auxiliary files referenced by policy parameters (keys, trusted roots), by content path. */
  files: Record<string, string>;
  git: GitState;
  diagnostics: Diagnostic[];
}
