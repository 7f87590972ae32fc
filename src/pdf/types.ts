// What the packet renderers read: the evaluated Report plus a plain view of the
// model facts a packet shows and the Report does not carry (evidence hashes,
// proof bodies, owners, the exception and override entries). Plain data: no
// Model, no file system.
import type { Report } from '../evaluate/report-types.ts';

export interface CommitFact {
  sha: string;
  /** Committer date, ISO 8601 UTC. */
  date: string;
  signed: boolean;
  signer: string | null;
}

export interface EvidenceFact {
  /** Relative to the content root. */
  path: string;
  /** Project name, or null for evidence/_shared. */
  project: string | null;
  kind: string;
  size: number;
  sha256: string;
  timestamp: string | null;
  commit: CommitFact | null;
}

export interface ProofFact {
  file: string;
  requirement: string;
  proof: string;
  project: string | null;
  product: string | null;
  date: string | null;
  result: 'pass' | 'fail';
  public: boolean;
  confidential: boolean;
  /** Markdown, rendered as plain text runs (never as HTML). */
  body: string;
  title: string | null;
  sha256: string;
  commit: CommitFact | null;
  attachments: { path: string; sha256: string | null }[];
}

export interface ProjectFact {
  owner: string | null;
  public: boolean;
  confidential: boolean;
}

export interface ExceptionFact {
  requirement: string;
  /** null: the product and all its projects. */
  projects: string[] | null;
  rationale: string | null;
  approvedBy: string | null;
  owner: string | null;
  /** YYYY-MM-DD, applies through the end of that day (UTC). */
  expires: string | null;
  source: string;
}

export interface OverrideFact {
  requirement: string;
  projects: string[] | null;
  status: 'PASSED' | 'FAILED';
  rationale: string | null;
  by: string | null;
  date: string | null;
  source: string;
}

export interface RequirementFact {
  displayName: string | null;
  description: string | null;
  scope: 'PROJECT' | 'PRODUCT';
  policies: { ref: string; sla: number | null; periodicity: string | null }[];
  proofs: { name: string; description: string | null; optional: boolean; periodicity: string | null }[];
}

export interface ProductFact {
  owner: string | null;
  version: string | null;
  exceptions: ExceptionFact[];
  overrides: OverrideFact[];
}

export interface PacketFacts {
  organization: string | null;
  auditPeriod: { start: string; end: string } | null;
  evidence: EvidenceFact[];
  proofs: ProofFact[];
  projects: Record<string, ProjectFact>;
  products: Record<string, ProductFact>;
  requirements: Record<string, RequirementFact>;
}

export interface Attachment {
  /** Content-root relative path, as in the manifest. */
  path: string;
  bytes: Uint8Array;
}

export interface PacketInput {
  report: Report;
  /** Product name (a ProductReport of `report`). */
  product: string;
  /** A framework of the product, or 'all' for every framework of the product. */
  framework: string;
  facts: PacketFacts;
  /** Creation time of the PDF (ISO 8601); normally the report's `now`. */
  now: string;
  /** The outward-facing variant (SPEC section 9, --public). */
  public: boolean;
  /** Files to embed beside the manifest (--attach-evidence); filtered by the public rules. */
  attachments?: Attachment[];
}

/** The JSON file embedded in every packet as `evident-manifest.json`. */
export interface Manifest {
  evidentPacket: 1;
  generator: { name: 'evident'; version: string };
  kind: 'packet' | 'soa';
  organization: string | null;
  product: string;
  framework: string;
  public: boolean;
  now: string;
  commit: { sha: string; date: string; dirty: boolean } | null;
  files: ManifestFile[];
}

export interface ManifestFile {
  /** Relative to the content root. */
  path: string;
  type: 'evidence' | 'proof' | 'attachment';
  sha256: string;
  /** The commit that last changed the file, when known. */
  commit: string | null;
}
