// One requirement result per product × requirement × project (PROJECT scope)
// or per product (PRODUCT scope), by the rules of SPEC section 8.
import type { CommitInfo, ContractEntry, EvidenceItem, Model, Product, Proof, Requirement, RequirementPolicy } from '../model/types.ts';
import { addPeriod as addPeriodRaw } from '../policies/periodicity.ts';
import type { PolicyRunner, Evaluation, HistoryStatus } from './policy-runner.ts';
import { stableJson } from './policy-runner.ts';
import type { ChangedByReport, EvidenceRef, Part, PartStatus, ProofRef, RequirementResult, Status } from './report-types.ts';
import { worst } from './report-types.ts';

const NO_EXPIRY = null;

/** t + window, always in toISOString form so that instants compare as strings. */
export function addPeriod(t: string, p: Parameters<typeof addPeriodRaw>[1]): string {
  // The same timestamps and windows recur in every product and every commit `history` evaluates.
  const key = `${t}\0${p.years} ${p.months} ${p.days} ${p.hours} ${p.minutes} ${p.seconds}`;
  let end = periodEnds.get(key);
  if (end === undefined) {
    end = new Date(addPeriodRaw(new Date(t).toISOString(), p)).toISOString();
    if (periodEnds.size >= 50_000) periodEnds.clear();
    periodEnds.set(key, end);
  }
  return end;
}
const periodEnds = new Map<string, string>();

export async function evaluateRequirement(model: Model, runner: PolicyRunner, now: string, product: Product, requirement: Requirement, project: string | null): Promise<RequirementResult> {
  const name = requirement.metadata.name;
  const base = { requirement: name, project, underlying: null, overridden: false, override: null, exception: null, rationale: null } as const;
  if (!requirement.active) return { ...base, status: 'INACTIVE', parts: [] };

  const applies = (entry: { requirement?: string; projects?: string[] }) => entry.requirement !== undefined && refName(entry.requirement) === name && (entry.projects === undefined || (project !== null && entry.projects.includes(project)));
  const na = product.applicability.find(applies);
  if (na) return { ...base, status: 'NOT_APPLICABLE', rationale: na.rationale ?? null, parts: [] };

  const parts = await partsOf(model, runner, now, product, requirement, project);
  let status: Status = worst(parts.filter((p) => !p.optional).map((p) => p.status)) ?? 'MISSING';
  let overridden = false;
  let override: RequirementResult['override'] = null;
  const ov = product.overrides.find(applies);
  if (ov) {
    status = ov.status;
    overridden = true;
    override = { changedBy: changedByReport(ov.changedBy), status: ov.status, rationale: ov.rationale ?? null, by: ov.by ?? null, date: ov.date ?? null, source: `${ov.source.file}:${ov.source.line}` };
  }
  const ex = product.exceptions.find((e) => applies(e) && exceptionActive(e.expires, now));
  if (ex) {
    return {
      ...base,
      status: 'EXCEPTION',
      underlying: status,
      overridden,
      override,
      exception: { changedBy: changedByReport(ex.changedBy), rationale: ex.rationale ?? null, approvedBy: ex.approvedBy ?? null, owner: ex.owner ?? null, expires: ex.expires ?? null, source: `${ex.source.file}:${ex.source.line}` },
      parts,
    };
  }
  return { ...base, status, overridden, override, parts };
}

function changedByReport(c: CommitInfo | null | undefined): ChangedByReport | null {
  return c ? { sha: c.sha, date: c.date, author: c.author, signed: c.signature.signed, signer: c.signature.signer ?? null } : null;
}

/** An exception applies through the end of its `expires` day (UTC). */
export function exceptionActive(expires: string | undefined, now: string): boolean {
  if (!expires) return true;
  const end = new Date(`${expires}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return now < end.toISOString();
}

async function partsOf(model: Model, runner: PolicyRunner, now: string, product: Product, requirement: Requirement, project: string | null): Promise<Part[]> {
  const parts: Part[] = [];
  for (const policy of requirement.policies) {
    if (project !== null) {
      parts.push(await policyPart(model, runner, now, requirement, policy, project));
    } else {
      // PRODUCT scope: the worst of this part across the product's projects.
      const perProject: Part[] = [];
      for (const p of product.projects.filter((x) => x in model.projects)) perProject.push(await policyPart(model, runner, now, requirement, policy, p));
      const chosen = pickWorst(perProject);
      parts.push(chosen ?? missingPolicyPart(policy, null, `Product "${product.metadata.name}" has no projects to evaluate policy "${policy.ref}" on.`));
    }
  }
  for (const spec of requirement.manualProofs) parts.push(proofPart(model, now, product, requirement, spec, project));
  return parts;
}

function pickWorst(parts: Part[]): Part | undefined {
  const status = worst(parts.map((p) => p.status));
  return parts.find((p) => p.status === status);
}

function missingPolicyPart(policy: RequirementPolicy, project: string | null, message: string): Part {
  return { type: 'policy', name: policy.ref, project, status: 'MISSING', optional: false, match: null, with: null, evaluation: null, proof: null, evidence: [], message, expires: null, graceUntil: null };
}

/** The project's contract entries: those of its contracts, then its inline ones. */
export function contractEntriesOf(model: Model, project: string): readonly ContractEntry[] {
  let byProject = entriesIndex.get(model);
  if (!byProject) entriesIndex.set(model, (byProject = new Map()));
  let entries = byProject.get(project);
  if (!entries) {
    const p = model.projects[project];
    entries = p ? [...p.contracts.flatMap((c) => model.contracts[c]?.policies ?? []), ...p.policies] : [];
    byProject.set(project, entries);
  }
  return entries;
}
/** Per model: a project's entries are read once per requirement and product otherwise. */
const entriesIndex = new WeakMap<Model, Map<string, ContractEntry[]>>();

async function policyPart(model: Model, runner: PolicyRunner, now: string, requirement: Requirement, policy: RequirementPolicy, project: string): Promise<Part> {
  const handle = runner.handle(policy.ref);
  if (!handle) return missingPolicyPart(policy, project, `Policy "${policy.ref}" does not resolve to a built-in or content policy.`);
  const reqParams = runner.params(policy.ref, policy.with);
  if (!reqParams) return missingPolicyPart({ ...policy, ref: handle.name }, project, `The requirement's parameters for policy "${handle.name}" are invalid.`);
  const name = requirement.metadata.name;
  const entries = contractEntriesOf(model, project).filter((e) => runner.handle(e.ref)?.name === handle.name);

  // Explicit: the entry names this requirement; its evaluation is taken as it is.
  const explicit = entries.find((e) => e.requirements.some((q) => refName(q) === name));
  let match: 'explicit' | 'auto' | null = null;
  let judgedWith: Record<string, unknown> | undefined;
  if (explicit) {
    const entryParams = runner.params(explicit.ref, explicit.with);
    if (entryParams) {
      match = 'explicit';
      judgedWith = entryParams;
    }
  }
  if (!match && model.config.autoMatch) {
    // Auto: a compatible entry's evidence, judged with the requirement's own parameters.
    const compatible = entries.find((e) => {
      const ep = runner.params(e.ref, e.with);
      return ep !== undefined && handle.compatible(ep, reqParams);
    });
    if (compatible) {
      match = 'auto';
      judgedWith = reqParams;
    }
  }
  if (!match || !judgedWith) {
    const mismatched = entries.filter((e) => !e.requirements.length || !e.requirements.some((q) => refName(q) === name));
    const why = !entries.length
      ? `No contract entry of project "${project}" runs policy "${handle.name}".`
      : !model.config.autoMatch
        ? `Auto-matching is off and no contract entry of project "${project}" names ${name} for policy "${handle.name}".`
        : `Parameter mismatch: project "${project}" runs "${handle.name}" with ${mismatched.map((e) => stableJson(runner.params(e.ref, e.with) ?? e.with)).join(', ')}, which does not cover ${stableJson(reqParams)}.`;
    return { ...missingPolicyPart({ ...policy, ref: handle.name }, project, why) };
  }
  const evaluation = await runner.evaluate(project, handle.name, judgedWith);
  const evalReport = toEvaluationReport(evaluation, null);
  const evidence = evaluation.evidence.map((e) => e.path);
  const partBase = { type: 'policy' as const, name: handle.name, project, optional: false, match, with: judgedWith, proof: null, evidence };
  if (evaluation.verdict.status === 'SKIPPED') {
    return { ...partBase, status: 'MISSING', evaluation: evalReport, message: evaluation.verdict.reason ?? 'No evidence the policy reads.', expires: null, graceUntil: null };
  }
  if (evaluation.verdict.status === 'FAILED') {
    let firstFailure = evaluation.timestamp ?? now;
    if (policy.sla !== undefined) {
      const history = await runner.history(project, handle.name, judgedWith);
      firstFailure = firstFailureOf(history) ?? firstFailure;
      const graceUntil = new Date(Date.parse(firstFailure) + policy.sla * 3600_000).toISOString();
      evalReport.firstFailure = firstFailure;
      if (now < graceUntil) {
        return { ...partBase, status: 'GRACE', evaluation: evalReport, message: `Failing since ${firstFailure}; within the ${policy.sla} h SLA until ${graceUntil}.`, expires: null, graceUntil };
      }
      return { ...partBase, status: 'FAILED', evaluation: evalReport, message: `Failing since ${firstFailure}, beyond the ${policy.sla} h SLA.`, expires: null, graceUntil: null };
    }
    evalReport.firstFailure = null;
    return { ...partBase, status: 'FAILED', evaluation: evalReport, message: `${evaluation.verdict.violations.length} violation(s).`, expires: null, graceUntil: null };
  }
  const expires = policy.periodicity && evaluation.timestamp ? addPeriod(evaluation.timestamp, policy.periodicity) : NO_EXPIRY;
  if (expires && now >= expires) {
    return { ...partBase, status: 'EXPIRED', evaluation: evalReport, message: `Passed at ${evaluation.timestamp}, but ${policy.periodicity!.text} evidence expired at ${expires}.`, expires, graceUntil: null };
  }
  return { ...partBase, status: 'PASSED', evaluation: evalReport, message: evaluation.verdict.reason ?? 'Passed.', expires, graceUntil: null };
}

/** The oldest evaluation of the unbroken run of FAILED evaluations that ends with the latest one. */
export function firstFailureOf(history: readonly HistoryStatus[]): string | undefined {
  let first: string | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].status !== 'FAILED') break;
    first = history[i].timestamp ?? first;
  }
  return first;
}

function toEvaluationReport(e: Evaluation, firstFailure: string | null) {
  return {
    policy: e.policy,
    with: e.params,
    status: e.verdict.status,
    violations: [...e.verdict.violations],
    reason: e.verdict.reason ?? null,
    timestamp: e.timestamp ?? null,
    evidence: e.evidence.map((x) => x.path),
    firstFailure,
  };
}

/** A requirement's proofs of one name, by the scope they were written for, each list in the model's order. */
interface ProofsByScope {
  project: Map<string, Proof[]>;
  product: Map<string, Proof[]>;
  org: Proof[];
}
/** Indexed once per model: a search of every project's proofs per project's result grew with the square of the projects. */
const proofIndex = new WeakMap<Model, { byName: Map<string, ProofsByScope>; order: Map<Proof, number> }>();

/** The proofs named `proof` for `requirement` that a result of `product` (and `project`) may use, in the model's order. */
export function proofsInScope(model: Model, requirement: string, proof: string, product: string, project: string | null): Proof[] {
  let index = proofIndex.get(model);
  if (!index) {
    index = { byName: new Map(), order: new Map() };
    for (const [i, p] of model.proofs.entries()) {
      index.order.set(p, i);
      const key = `${p.requirement}\0${p.proof}`;
      let scopes = index.byName.get(key);
      if (!scopes) index.byName.set(key, (scopes = { project: new Map(), product: new Map(), org: [] }));
      const list = p.project !== undefined ? listIn(scopes.project, p.project) : p.product !== undefined ? listIn(scopes.product, p.product) : scopes.org;
      list.push(p);
    }
    proofIndex.set(model, index);
  }
  const scopes = index.byName.get(`${requirement}\0${proof}`);
  if (!scopes) return [];
  const lists = [project !== null ? scopes.project.get(project) : undefined, scopes.product.get(product), scopes.org].filter((l): l is Proof[] => l !== undefined && l.length > 0);
  if (lists.length <= 1) return lists[0] ?? [];
  const order = index.order;
  return lists.flat().sort((a, b) => order.get(a)! - order.get(b)!);
}

function listIn(map: Map<string, Proof[]>, key: string): Proof[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function proofPart(model: Model, now: string, product: Product, requirement: Requirement, spec: Requirement['manualProofs'][number], project: string | null): Part {
  const name = requirement.metadata.name;
  const candidates = proofsInScope(model, name, spec.name, product.metadata.name, project);
  const usable: { proof: Proof; scope: 'project' | 'product' | 'org' }[] = [];
  const notes: string[] = [];
  for (const p of candidates) {
    // Every candidate is in scope (proofsInScope): this only names the scope it was written for.
    const scope = p.project !== undefined ? 'project' : p.product !== undefined ? 'product' : 'org';
    if (p.date === undefined) {
      notes.push(`${p.file}: date unknown (shallow clone; fetch the full history)`);
      continue;
    }
    if (p.date > now) {
      notes.push(`${p.file}: dated after now`);
      continue;
    }
    if (model.config.requireSignedEvidence && (p.git.dirty || !p.git.last?.signature.signed)) {
      notes.push(`${p.file}: not from a signed commit (${p.git.dirty ? 'uncommitted' : (p.git.last?.signature.reason ?? 'no signature')})`);
      continue;
    }
    usable.push({ proof: p, scope });
  }
  const rank = { project: 0, product: 1, org: 2 };
  usable.sort((a, b) => rank[a.scope] - rank[b.scope] || (a.proof.date! > b.proof.date! ? -1 : a.proof.date! < b.proof.date! ? 1 : a.proof.file > b.proof.file ? -1 : 1));
  const chosen = usable[0];
  const base = { type: 'proof' as const, name: spec.name, project, optional: spec.optional, match: null, with: null, evaluation: null, graceUntil: null };
  if (!chosen) {
    const message = `No manual proof "${spec.name}" for ${project ? `project "${project}"` : `product "${product.metadata.name}"`}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
    return { ...base, status: 'MISSING', proof: null, evidence: [], message, expires: null };
  }
  const p = chosen.proof;
  const proof: ProofRef = {
    file: p.file,
    date: p.date ?? null,
    result: p.result,
    scope: chosen.scope,
    commit: p.git.dirty ? null : (p.git.last?.sha ?? null),
    signed: !p.git.dirty && p.git.last?.signature.signed === true,
    signer: p.git.last?.signature.signer ?? null,
    sha256: p.sha256,
  };
  const evidence = [p.file, ...p.attachments.map((a) => a.path)];
  const expires = spec.periodicity ? addPeriod(p.date!, spec.periodicity) : null;
  let status: PartStatus = 'PASSED';
  let message = `Proof ${p.file} of ${p.date!.slice(0, 10)}.`;
  if (p.result === 'fail') {
    status = 'FAILED';
    message = `Proof ${p.file} of ${p.date!.slice(0, 10)} records a failure.`;
  } else if (expires && now >= expires) {
    status = 'EXPIRED';
    message = `Proof ${p.file} of ${p.date!.slice(0, 10)} expired at ${expires} (${spec.periodicity!.text}).`;
  }
  return { ...base, status, proof, evidence, message, expires };
}

/** `framework/requirement` or `requirement` → the requirement name. */
export function refName(ref: string): string {
  const i = ref.indexOf('/');
  return i < 0 ? ref : ref.slice(i + 1);
}

export function evidenceRef(item: EvidenceItem): EvidenceRef {
  return {
    path: item.path,
    kind: item.kind,
    timestamp: item.timestamp ?? null,
    sha256: item.sha256,
    commit: item.git.dirty ? null : (item.git.last?.sha ?? null),
    signed: !item.git.dirty && item.git.last?.signature.signed === true,
    signer: item.git.last?.signature.signer ?? null,
  };
}
