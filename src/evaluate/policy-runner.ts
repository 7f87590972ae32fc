// Runs policies over a project's evidence: one evaluation per (project,
// policy, parameters), memoised, with its history for GRACE and SLA checks.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { EvidenceItem, Model } from '../model/types.ts';
import { evaluateCustomPolicy } from '../policies/custom.ts';
import { canonicalPolicyName, getBuiltinPolicy } from '../policies/index.ts';
import { resolveParameters } from '../policies/parameters.ts';
import type { EvaluationStatus, PolicyInput, PolicyVerdict } from '../policies/types.ts';
import { groupRuns, historyPoints, latestRuns, type Run } from './runs.ts';
import type { EvidenceKind } from '../evidence/types.ts';
import { isShared } from '../model/build-model.ts';

export interface Evaluation {
  policy: string;
  params: Record<string, unknown>;
  verdict: PolicyVerdict;
  timestamp: string | undefined;
  evidence: EvidenceItem[];
}

/**
 * Verdicts shared across evaluations: history over many commits (a Map), and
 * runs after a small change (src/load/verdict-store.ts, on disk). Keys say
 * exactly what a value was derived from; three kinds of value, under keys
 * that cannot be confused: a verdict (`verdictKey`), the status alone of a
 * verdict at an earlier history point (`#status` and the verdict's key), and
 * the statuses of all earlier history points of one policy over one
 * project's runs (`pastKey`).
 */
export interface VerdictMemo {
  get(key: string): Memoised | undefined;
  set(key: string, value: Memoised): unknown;
}

export type Memoised = PolicyVerdict | { status: EvaluationStatus } | { past: EvaluationStatus[] };

function isVerdict(value: Memoised): value is PolicyVerdict {
  return 'violations' in value;
}

/** A point of a policy's history: its time, and the verdict's status then. */
export interface HistoryStatus {
  timestamp: string | undefined;
  status: EvaluationStatus;
}

/**
 * Everything a built-in verdict depends on: the policy, its parameters, each
 * item read (path, blob, timestamp), the content of the files its parameters
 * name (keys, trusted roots), and for policies that look at time, `at` and
 * the runs up to it (which determine the history points).
 */
function verdictKey(h: PolicyHandle, params: Record<string, unknown>, at: string, primary: readonly EvidenceItem[], supporting: readonly EvidenceItem[], runs: readonly Run[], fileHash: (p: string) => string | undefined): { key: string; inputKey: string } {
  const time = h.usesHistory ? `#${runs.filter((r) => r.timestamp <= at).map((r) => `${r.key}@${r.timestamp}:${ids(r.items)}`).join(';')}` : '';
  const inputKey = `${h.name}\0${stableJson(params)}\0${ids(primary)}\0${ids(supporting)}\0${time}\0${filesKey(params, fileHash)}`;
  return { key: h.usesHistory ? `${inputKey}\0${at}` : inputKey, inputKey };
}

/**
 * Everything the earlier history points of a policy over a project depend on:
 * the policy, its parameters, every run (each point judges the latest runs up
 * to its time, and the points are the runs' times), every supporting item a
 * point may read (those up to its time), and the files the parameters name.
 * One lookup then serves every point, which a run after a small change would
 * otherwise key and look up one by one (three quarters of all lookups at
 * size M).
 */
function pastKey(h: PolicyHandle, params: Record<string, unknown>, runs: readonly Run[], supporting: readonly EvidenceItem[], fileHash: (p: string) => string | undefined): string {
  return `#past\0${h.name}\0${stableJson(params)}\0${runs.map((r) => `${r.key}@${r.timestamp}:${ids(r.items)}`).join(';')}\0${ids(supporting)}\0${filesKey(params, fileHash)}`;
}

function filesKey(params: Record<string, unknown>, fileHash: (p: string) => string | undefined): string {
  return stringsIn(params)
    .flatMap((s) => {
      const hash = fileHash(s);
      return hash ? [`${s}=${hash}`] : [];
    })
    .join('|');
}

const itemIds = new WeakMap<EvidenceItem, string>();
function ids(items: readonly EvidenceItem[]): string {
  return items
    .map((e) => {
      let id = itemIds.get(e);
      if (id === undefined) itemIds.set(e, (id = `${e.path}@${e.blob ?? e.sha256}@${e.timestamp ?? ''}`));
      return id;
    })
    .join('|');
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

interface PolicyHandle {
  custom?: boolean;
  name: string;
  primary: EvidenceKind[];
  accepts?: (item: EvidenceItem) => boolean;
  supporting: EvidenceKind[];
  readsGitLog: boolean;
  usesHistory: boolean;
  schema: Record<string, unknown>;
  compatible: (entry: any, requirement: any) => boolean;
  run: (input: PolicyInput, params: any) => Promise<PolicyVerdict>;
}

export class PolicyRunner {
  /** Evaluations, their histories and runs, per project: released when no later product reads the project. */
  private perProject = new Map<string, { cache: Map<string, Promise<Evaluation>>; history: Map<string, Promise<HistoryStatus[]>>; runs: Map<string, Run[]> }>();
  private scope(project: string) {
    let s = this.perProject.get(project);
    if (!s) this.perProject.set(project, (s = { cache: new Map(), history: new Map(), runs: new Map() }));
    return s;
  }

  /** Forgets what was evaluated for these projects (memory stays flat over many products). */
  release(projects: readonly string[]): void {
    for (const p of projects) this.perProject.delete(p);
  }
  readonly diagnostics: Diagnostic[] = [];
  private reportedPolicyErrors = new Set<string>();
  private projectItems = new Map<string, { current: EvidenceItem[]; all: EvidenceItem[] }>();
  private readonly memo: VerdictMemo | undefined;

  readonly model: Model;
  readonly now: string;
  constructor(model: Model, now: string, memo?: VerdictMemo) {
    this.model = model;
    this.now = now;
    this.memo = memo;
  }

  /** The items a project reads (its own and evidence/_shared), indexed once per run. */
  private itemsOf(project: string): { current: EvidenceItem[]; all: EvidenceItem[] } {
    if (!this.indexed) this.indexItems();
    return this.projectItems.get(project) ?? this.shared;
  }

  private indexed = false;
  private shared: { current: EvidenceItem[]; all: EvidenceItem[] } = { current: [], all: [] };

  /** One pass over all items: each project's own items followed by evidence/_shared. */
  private indexItems(): void {
    const own = new Map<string, { current: EvidenceItem[]; history: EvidenceItem[] }>();
    const slot = (p: string) => own.get(p) ?? own.set(p, { current: [], history: [] }).get(p)!;
    const sharedHistory: EvidenceItem[] = [];
    for (const e of this.model.evidence) {
      if (isShared(e.path)) this.shared.current.push(e);
      else if (e.project !== null) slot(e.project).current.push(e);
    }
    for (const e of this.model.evidenceHistory) {
      if (isShared(e.path)) sharedHistory.push(e);
      else if (e.project !== null) slot(e.project).history.push(e);
    }
    this.shared.all = [...this.shared.current, ...sharedHistory];
    for (const name of Object.keys(this.model.projects)) {
      const mine = own.get(name) ?? { current: [], history: [] };
      // Order as in the model (sorted by path), so runs and outputs do not depend on the index.
      const current = [...mine.current, ...this.shared.current].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const history = [...mine.history, ...sharedHistory];
      this.projectItems.set(name, { current, all: [...current, ...history] });
    }
    this.indexed = true;
  }

  private handles = new Map<string, PolicyHandle | undefined>();

  /** The policy behind a ref (built-in name or alias, or a content Policy), or undefined. */
  handle(ref: string): PolicyHandle | undefined {
    if (!this.handles.has(ref)) this.handles.set(ref, this.makeHandle(ref));
    return this.handles.get(ref);
  }

  private makeHandle(ref: string): PolicyHandle | undefined {
    const custom = this.model.policies[ref];
    if (custom) {
      return {
        custom: true,
        name: ref,
        primary: custom.kinds,
        supporting: [],
        readsGitLog: false,
        usesHistory: false,
        schema: custom.parameters,
        compatible: (a, b) => stableJson(a) === stableJson(b),
        run: async (input, params) => {
          const verdict = await evaluateCustomPolicy(custom, input, params, { policyMillis: this.model.config.limits.policyMillis });
          if (verdict.error && !this.reportedPolicyErrors.has(`${ref}\0${verdict.error.message}`)) {
            this.reportedPolicyErrors.add(`${ref}\0${verdict.error.message}`);
            this.diagnostics.push({ file: custom.expressionSource.file, line: custom.expressionSource.line, column: custom.expressionSource.column, severity: 'error', code: verdict.error.code, message: `Policy "${ref}": ${verdict.error.message}` });
          }
          return { status: verdict.status, violations: verdict.violations, ...(verdict.reason ? { reason: verdict.reason } : {}) };
        },
      };
    }
    const name = canonicalPolicyName(ref);
    const builtin = name ? getBuiltinPolicy(name) : undefined;
    if (!builtin || !name) return undefined;
    return {
      name,
      primary: builtin.meta.primary,
      ...(builtin.meta.accepts ? { accepts: builtin.meta.accepts } : {}),
      supporting: builtin.meta.supporting ?? [],
      readsGitLog: builtin.meta.readsGitLog === true,
      usesHistory: name === 'vulnerability-remediation-sla',
      schema: builtin.meta.parameters,
      compatible: builtin.meta.compatible,
      run: async (input, params) => builtin.evaluate(input, params),
    };
  }

  /** Parameters after defaults, or undefined when they do not match the policy's schema. */
  params(ref: string, given: Record<string, unknown>): Record<string, unknown> | undefined {
    // Asked for every result and contract entry: validated once per distinct (ref, parameters).
    const key = `${ref}\0${stableJson(given)}`;
    if (this.paramsCache.has(key)) return this.paramsCache.get(key);
    const h = this.handle(ref);
    const r = h ? resolveParameters(h.schema, given) : undefined;
    const params = r?.ok ? (r.params as Record<string, unknown>) : undefined;
    this.paramsCache.set(key, params);
    return params;
  }
  private paramsCache = new Map<string, Record<string, unknown> | undefined>();

  /** The evaluation of `ref` with `params` (after defaults) over `project`'s evidence at `now`. */
  evaluate(project: string, ref: string, params: Record<string, unknown>): Promise<Evaluation> {
    const key = `${ref}\0${stableJson(params)}`;
    const { cache } = this.scope(project);
    let cached = cache.get(key);
    if (!cached) {
      cached = this.evaluateAt(project, ref, params, this.now);
      cache.set(key, cached);
    }
    return cached;
  }

  /**
   * The status at each earlier run timestamp, oldest first, ending with the
   * current evaluation's. Readers need no more (the start of a failure, the
   * timeline's intervals), and statuses alone keep the memo small.
   */
  history(project: string, ref: string, params: Record<string, unknown>): Promise<HistoryStatus[]> {
    const key = `${ref}\0${stableJson(params)}`;
    const { history } = this.scope(project);
    let cached = history.get(key);
    if (!cached) {
      cached = (async () => {
        const h = this.handle(ref)!;
        const point = (e: Evaluation): HistoryStatus => ({ timestamp: e.timestamp, status: e.verdict.status });
        if (h.readsGitLog) return [point(await this.evaluate(project, ref, params))];
        const runs = this.runs(project, h);
        const times = [...new Set(runs.map((r) => r.timestamp))].sort();
        if (!times.length) return [];
        const past = times.slice(0, -1);
        const statuses = await this.pastStatuses(project, ref, h, params, runs, past);
        return [...past.map((timestamp, i) => ({ timestamp, status: statuses[i] })), point(await this.evaluate(project, ref, params))];
      })();
      history.set(key, cached);
    }
    return cached;
  }

  /** The statuses at `times` (earlier run timestamps): one memo lookup for all of them, else one evaluation each. */
  private async pastStatuses(project: string, ref: string, h: PolicyHandle, params: Record<string, unknown>, runs: readonly Run[], times: string[]): Promise<EvaluationStatus[]> {
    if (!times.length) return [];
    const key = this.memo && !h.custom ? pastKey(h, params, runs, this.supportingCandidates(project, h), (p) => this.fileHash(p)) : undefined;
    const held = key ? this.memo!.get(key) : undefined;
    if (held && 'past' in held && held.past.length === times.length) return held.past;
    const statuses: EvaluationStatus[] = [];
    // The policy at a point reads exactly what `evaluate` would have read then; the point's time is always a run's
    // timestamp, so the evaluation's timestamp is that time.
    for (const t of times) statuses.push((await this.evaluateAt(project, ref, params, t, true)).verdict.status);
    if (key) this.memo!.set(key, { past: statuses });
    return statuses;
  }

  /** A project's runs of what a policy reads; shared by the policies that read the same (the scan policies). */
  private runs(project: string, h: PolicyHandle): Run[] {
    const cache = this.scope(project).runs;
    let accepts = this.acceptsIds.get(h.accepts);
    if (accepts === undefined) this.acceptsIds.set(h.accepts, (accepts = this.acceptsIds.size));
    const key = `${accepts}\0${h.primary.join('\0')}`;
    let runs = cache.get(key);
    if (!runs) {
      const items = this.itemsOf(project).all.filter((e) => h.primary.includes(e.kind) && !e.broken && (!h.accepts || h.accepts(e)) && this.signedEnough(e));
      runs = groupRuns(items, this.now, this.model.git.available);
      cache.set(key, runs);
    }
    return runs;
  }
  private acceptsIds = new Map<PolicyHandle['accepts'], number>();

  private signedEnough(item: EvidenceItem): boolean {
    if (!this.model.config.requireSignedEvidence) return true;
    return !item.git.dirty && item.git.last?.signature.signed === true;
  }

  /** Supporting items a point may read: the current ones of the policy's supporting kinds (those up to a point's time are read). */
  private supportingCandidates(project: string, h: PolicyHandle): EvidenceItem[] {
    return h.supporting.length ? this.itemsOf(project).current.filter((e) => h.supporting.includes(e.kind) && !e.broken && e.timestamp !== undefined && this.signedEnough(e)) : [];
  }

  /** The evaluation at `at`; for an earlier history point (`past`), only its status is kept in the memo. */
  private async evaluateAt(project: string, ref: string, params: Record<string, unknown>, at: string, past = false): Promise<Evaluation> {
    const h = this.handle(ref);
    if (!h) return { policy: ref, params, verdict: { status: 'SKIPPED', violations: [], reason: `Policy "${ref}" does not exist.` }, timestamp: undefined, evidence: [] };
    if (h.readsGitLog) {
      // The same for every project: read the log once per (policy, parameters, time) in this model.
      const key = `${h.name}\0${stableJson(params)}\0${at}`;
      let evaluation = this.gitLogEvaluations.get(key);
      if (!evaluation) {
        evaluation = (async () => {
          const commits = this.model.git.commits.filter((c) => c.date <= at);
          const input: PolicyInput = { at, primary: [], supporting: [], history: [], commits, files: this.model.files };
          const verdict = await h.run(input, params);
          return { policy: h.name, params, verdict, timestamp: commits[0]?.date, evidence: [] };
        })();
        this.gitLogEvaluations.set(key, evaluation);
      }
      return evaluation;
    }
    const runs = this.runs(project, h);
    const current = latestRuns(runs, at);
    const supporting = this.supportingCandidates(project, h).filter((e) => e.timestamp! <= at);
    // A verdict is a pure function of the policy, its parameters and the items it reads (and `at` for
    // policies that look at time), so evaluations at other commits or of other projects reuse it.
    const keys = this.memo ? verdictKey(h, params, at, current.items, supporting, runs, (p) => this.fileHash(p)) : undefined;
    const memoKey = keys?.key;
    const statusKey = memoKey && past ? `#status\0${memoKey}` : undefined;
    const held = statusKey ? this.memo!.get(statusKey) : undefined;
    if (held && 'status' in held) return { policy: h.name, params, verdict: { status: held.status, violations: [] }, timestamp: current.timestamp, evidence: [...current.items, ...supporting] };
    // A full verdict serves a point too (evaluated when it was current, by `history` or an earlier run).
    const stored = memoKey ? this.memo!.get(memoKey) : undefined;
    let verdict = stored && isVerdict(stored) ? stored : undefined;
    if (!verdict) {
      const history = h.usesHistory ? historyPoints(runs, at) : current.timestamp ? [{ timestamp: current.timestamp, primary: current.items }] : [];
      const input: PolicyInput = { at, primary: current.items, supporting, history, commits: [], files: this.model.files, ...(keys && !h.custom ? { inputKey: keys.inputKey } : {}) };
      verdict = await h.run(input, params);
      if (memoKey && !h.custom) {
        if (statusKey) this.memo!.set(statusKey, { status: verdict.status });
        else this.memo!.set(memoKey, verdict);
      }
    }
    if (at === this.now) verdict = this.explainLeftOut(project, h, verdict);
    return { policy: h.name, params, verdict, timestamp: current.timestamp, evidence: [...current.items, ...supporting] };
  }

  private gitLogEvaluations = new Map<string, Promise<Evaluation>>();
  private fileHashes = new Map<string, string | undefined>();
  private fileHash(p: string): string | undefined {
    if (!this.fileHashes.has(p)) {
      const text = Object.hasOwn(this.model.files, p) ? this.model.files[p] : undefined;
      this.fileHashes.set(p, text === undefined ? undefined : createHash('sha256').update(text).digest('hex'));
    }
    return this.fileHashes.get(p);
  }

  /** Says which evidence the policy could not use (broken, unsigned, undated, future). */
  private explainLeftOut(project: string, h: PolicyHandle, verdict: PolicyVerdict): PolicyVerdict {
    const candidates = this.itemsOf(project).current.filter((e) => h.primary.includes(e.kind));
    const notes: string[] = [];
    const broken = candidates.filter((e) => e.broken).map((e) => e.path);
    if (broken.length) notes.push(`could not read ${broken.join(', ')}`);
    const unsigned = candidates.filter((e) => !e.broken && !this.signedEnough(e)).map((e) => `${e.path} (${e.git.dirty ? 'uncommitted' : (e.git.last?.signature.reason ?? 'no signature')})`);
    if (unsigned.length) notes.push(`ignored evidence from unsigned commits: ${unsigned.join(', ')}`);
    const undated = candidates.filter((e) => !e.broken && e.timestamp === undefined).map((e) => e.path);
    if (undated.length) notes.push(`date unknown (shallow clone; fetch the full history): ${undated.join(', ')}`);
    const future = candidates.filter((e) => e.timestamp !== undefined && e.timestamp > this.now).map((e) => e.path);
    if (future.length) notes.push(`ignored evidence timestamped after now: ${future.join(', ')}`);
    if (!notes.length) return verdict;
    const reason = [verdict.reason, ...notes].filter(Boolean).join('; ');
    return { ...verdict, reason };
  }
}

/** JSON with sorted keys: equal values give equal text. */
const stableMemo = new WeakMap<object, string>();

/** JSON with sorted keys; memoised per object (parameters are resolved once and shared, and are not changed). */
export function stableJson(value: unknown): string {
  if (!value || typeof value !== 'object') return stableJsonUncached(value);
  let text = stableMemo.get(value);
  if (text === undefined) {
    text = stableJsonUncached(value);
    stableMemo.set(value, text);
  }
  return text;
}

function stableJsonUncached(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
