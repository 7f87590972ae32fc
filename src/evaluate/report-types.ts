// The evaluated report: what renderers (CLI formats, portal, packets,
// exports) read. Plain JSON; its JSON Schema is schemas/report.schema.json.

import type { TimelineEntry } from './timeline.ts';

export const statuses = ['PASSED', 'GRACE', 'EXPIRED', 'MISSING', 'FAILED', 'EXCEPTION', 'NOT_APPLICABLE', 'INACTIVE'] as const;
export type Status = (typeof statuses)[number];
export type PartStatus = 'PASSED' | 'GRACE' | 'EXPIRED' | 'MISSING' | 'FAILED';

/** Worst first: FAILED > MISSING > EXPIRED > GRACE > PASSED (SPEC section 8). */
export const severityOrder: PartStatus[] = ['FAILED', 'MISSING', 'EXPIRED', 'GRACE', 'PASSED'];

export function worst(list: PartStatus[]): PartStatus | undefined {
  let best: PartStatus | undefined;
  for (const s of list) if (best === undefined || severityOrder.indexOf(s) < severityOrder.indexOf(best)) best = s;
  return best;
}

export const isCounted = (s: Status) => s !== 'INACTIVE' && s !== 'NOT_APPLICABLE' && s !== 'EXCEPTION';
export const isPassing = (s: Status) => s === 'PASSED' || s === 'GRACE';

export interface EvidenceRef {
  path: string;
  kind: string;
  timestamp: string | null;
  sha256: string;
  commit: string | null;
  signed: boolean;
  signer: string | null;
}

export interface PolicyEvaluationReport {
  policy: string;
  with: Record<string, unknown>;
  status: 'PASSED' | 'FAILED' | 'SKIPPED';
  violations: string[];
  reason: string | null;
  /** Newest timestamp among the primary runs read. */
  timestamp: string | null;
  evidence: string[];
  /** Start of the unbroken run of FAILED evaluations ending with this one. */
  firstFailure: string | null;
}

export interface ProofRef {
  file: string;
  date: string | null;
  result: 'pass' | 'fail';
  scope: 'project' | 'product' | 'org';
  commit: string | null;
  signed: boolean;
  signer: string | null;
  sha256: string;
}

export interface Part {
  type: 'policy' | 'proof';
  /** Policy name (canonical) for policy parts; proof name for proof parts. */
  name: string;
  /** PRODUCT scope: the project this part's worst status came from. */
  project: string | null;
  status: PartStatus;
  optional: boolean;
  match: 'auto' | 'explicit' | null;
  /** The parameters the part was judged with. */
  with: Record<string, unknown> | null;
  evaluation: PolicyEvaluationReport | null;
  proof: ProofRef | null;
  evidence: string[];
  /** Why the part has its status, in words. */
  message: string;
  /** When a PASSED part becomes EXPIRED (timestamp + periodicity). */
  expires: string | null;
  /** When a GRACE part becomes FAILED (first failure + sla). */
  graceUntil: string | null;
}

/** Who last changed the entry's lines in git (git blame): the approval as recorded, not only as declared. */
export interface ChangedByReport {
  sha: string;
  date: string;
  author: string;
  signed: boolean;
  signer: string | null;
}

export interface ExceptionReport {
  changedBy: ChangedByReport | null;
  rationale: string | null;
  approvedBy: string | null;
  owner: string | null;
  expires: string | null;
  source: string;
}

export interface OverrideReport {
  changedBy: ChangedByReport | null;
  status: 'PASSED' | 'FAILED';
  rationale: string | null;
  by: string | null;
  date: string | null;
  source: string;
}

export interface RequirementResult {
  requirement: string;
  project: string | null;
  status: Status;
  underlying: Status | null;
  overridden: boolean;
  override: OverrideReport | null;
  exception: ExceptionReport | null;
  /** NOT_APPLICABLE: the applicability entry's rationale. */
  rationale: string | null;
  parts: Part[];
}

export interface ControlRequirement {
  ref: string;
  relationship: string;
  rationale: string | null;
  resolved: boolean;
  /** Worst counted status of the requirement's results in this product (or the uncounted fallback). */
  status: Status;
}

export interface ControlReport {
  id: string;
  name: string;
  path: string[];
  tags: string[];
  status: Status;
  score: number | null;
  addressed: 'full' | 'partial' | 'none';
  /** Which requirement decided `addressed`, in words. */
  explanation: string;
  applicable: boolean;
  rationale: string | null;
  requirements: ControlRequirement[];
}

export type StatusCounts = Record<Status, number>;

export interface FrameworkReport {
  name: string;
  displayName: string;
  score: number | null;
  counts: StatusCounts;
  controls: ControlReport[];
}

export interface ProductReport {
  name: string;
  displayName: string;
  version: string | null;
  owner: string | null;
  projects: string[];
  score: number | null;
  counts: StatusCounts;
  results: RequirementResult[];
  frameworks: FrameworkReport[];
  /** The audit-period timeline; empty without Config.spec.audit.period. */
  timeline: TimelineEntry[];
}

export interface Report {
  schemaVersion: 1;
  generator: { name: 'evident'; version: string };
  now: string;
  commit: { sha: string; date: string; dirty: boolean } | null;
  organization: string | null;
  products: ProductReport[];
  /** Content problems found while loading, by severity. */
  diagnostics: { errors: number; warnings: number; notes: number };
}

export function emptyCounts(): StatusCounts {
  // A literal, in the order of `statuses`: made for every requirement of every framework report.
  return { PASSED: 0, GRACE: 0, EXPIRED: 0, MISSING: 0, FAILED: 0, EXCEPTION: 0, NOT_APPLICABLE: 0, INACTIVE: 0 };
}

export function score(list: Status[]): number | null {
  const counted = list.filter(isCounted);
  if (!counted.length) return null;
  return counted.filter(isPassing).length / counted.length;
}
