// A policy is a module with meta and evaluate, like an ESLint rule (STYLE.md 6).
import type { EvidenceKind } from '../evidence/types.ts';
import type { CommitInfo, EvidenceItem } from '../model/types.ts';

export type EvaluationStatus = 'PASSED' | 'FAILED' | 'SKIPPED';

/** What a policy decides about the evidence it read. */
export interface PolicyVerdict {
  status: EvaluationStatus;
  violations: string[];
  /** Why it was SKIPPED, or a short note ("signature present, not verified"). */
  reason?: string;
}

/** One step of history: the latest runs with timestamps up to `timestamp`. */
export interface HistoryPoint {
  timestamp: string;
  primary: EvidenceItem[];
}

export interface PolicyInput {
  /** The moment judged (ISO). For history points, the point's timestamp. */
  at: string;
  /** The latest run of each primary kind in every stream, merged. */
  primary: EvidenceItem[];
  /** Every current item of the supporting kinds. */
  supporting: EvidenceItem[];
  /** Earlier states, oldest first, ending with the current one (for policies that look at history). */
  history: HistoryPoint[];
  /** Commits of the content repo, newest first (commits-signed). */
  commits: CommitInfo[];
  /** Auxiliary files referenced by parameters (keys, trusted roots) by content path. */
  files: Record<string, string>;
  /**
   * Equal for inputs that differ at most in `at`, when given: a policy that
   * looks at time may keep what it derives from the evidence under it
   * (`history` evaluates the same runs at every commit's time).
   */
  inputKey?: string;
}

export interface PolicyMeta<P = Record<string, unknown>> {
  name: string;
  aliases?: string[];
  title: string;
  description: string;
  /** Primary evidence kinds; `accepts` narrows which items of those kinds count (e.g. only BOMs with components). */
  primary: EvidenceKind[];
  accepts?: (item: EvidenceItem) => boolean;
  supporting?: EvidenceKind[];
  /** SKIPPED when no supporting item is present (cves-in-kev needs the KEV catalog). */
  supportingRequired?: boolean;
  /** Reads the git log rather than evidence files (commits-signed). */
  readsGitLog?: boolean;
  /** JSON Schema (draft 2020-12) of the parameters, with defaults. */
  parameters: Record<string, unknown>;
  /**
   * Auto-matching (SPEC sections 4 and 8): can an evaluation made with `entry`
   * parameters stand for a requirement asking for `requirement` parameters?
   * Both after defaults.
   */
  compatible: (entry: P, requirement: P) => boolean;
}

export interface BuiltinPolicy<P = any> {
  meta: PolicyMeta<P>;
  evaluate: (input: PolicyInput, params: P) => PolicyVerdict;
}
