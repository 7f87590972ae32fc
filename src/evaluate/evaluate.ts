// The pure engine: (Model, now) → Report. No I/O and no clock; `now` and the
// generator version are parameters.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Framework, Model, Product, Requirement } from '../model/types.ts';
import { PolicyRunner, type VerdictMemo } from './policy-runner.ts';
import { auditTimeline } from './timeline.ts';
import { evaluateRequirement, refName } from './results.ts';
import {
  emptyCounts,
  isPassing,
  score,
  severityOrder,
  type ControlReport,
  type ControlRequirement,
  type FrameworkReport,
  type ProductReport,
  type Report,
  type RequirementResult,
  type Status,
  type StatusCounts,
} from './report-types.ts';

export interface EvaluateOptions {
  now: string;
  version: string;
  /** The commit evaluated (HEAD, or the --at commit). */
  commit?: { sha: string; date: string; dirty: boolean } | null;
  products?: string[];
  /** Verdicts to reuse across evaluations in one process (e.g. `history` over many commits). */
  memo?: VerdictMemo;
  /** false leaves every product's audit timeline empty, for callers that read only results and scores (`history`). */
  timeline?: boolean;
  /** false leaves every framework's control list empty (its score and counts are the same), for `history`. */
  controls?: boolean;
}

export interface Evaluated {
  report: Report;
  /** Problems found while evaluating (declarative policy errors), at their content position. */
  diagnostics: Diagnostic[];
}

export async function evaluate(model: Model, options: EvaluateOptions): Promise<Evaluated> {
  const now = new Date(options.now).toISOString();
  const runner = new PolicyRunner(model, now, options.memo);
  const products: ProductReport[] = [];
  const chosen = Object.values(model.products).filter((p) => !options.products || options.products.includes(p.metadata.name));
  // What a project's evaluations hold is dropped after the last product that reads it.
  const lastReader = new Map<string, number>();
  chosen.forEach((p, i) => p.projects.forEach((name) => lastReader.set(name, i)));
  for (const [i, product] of chosen.entries()) {
    products.push(await evaluateProduct(model, runner, now, product, options.timeline !== false, options.controls !== false));
    runner.release(product.projects.filter((name) => lastReader.get(name) === i));
  }
  for (const item of model.evidence) {
    if (item.timestamp !== undefined && item.timestamp > now) {
      runner.diagnostics.push({ file: item.path, severity: 'note', code: 'evidence-future-timestamp', message: `The evidence is timestamped ${item.timestamp}, after now (${now}); it is ignored.` });
    }
  }
  const all = [...model.diagnostics, ...runner.diagnostics];
  const head = options.commit !== undefined ? options.commit : model.git.head ? { sha: model.git.head.sha, date: model.git.head.date, dirty: model.git.dirty } : null;
  const report: Report = {
    schemaVersion: 1,
    generator: { name: 'evident', version: options.version },
    now,
    commit: head,
    organization: model.config.organization ?? null,
    products,
    diagnostics: {
      errors: all.filter((d) => d.severity === 'error').length,
      warnings: all.filter((d) => d.severity === 'warning').length,
      notes: all.filter((d) => d.severity === 'note').length,
    },
  };
  return { report, diagnostics: runner.diagnostics };
}

/** The requirements of a product: every requirement its frameworks' controls reference, once, sorted. */
export function productRequirements(model: Model, product: Product): { resolved: Requirement[]; unresolved: string[] } {
  const names = new Set<string>();
  for (const f of product.frameworks) for (const c of model.frameworks[f]?.controls ?? []) for (const r of c.requirements) names.add(r.ref);
  const sorted = [...names].sort();
  return { resolved: sorted.filter((n) => n in model.requirements).map((n) => model.requirements[n]), unresolved: sorted.filter((n) => !(n in model.requirements)) };
}

async function evaluateProduct(model: Model, runner: PolicyRunner, now: string, product: Product, withTimeline: boolean, withControls: boolean): Promise<ProductReport> {
  const { resolved } = productRequirements(model, product);
  const projects = product.projects.filter((p) => p in model.projects);
  const results: RequirementResult[] = [];
  for (const requirement of resolved) {
    if (requirement.scope === 'PRODUCT') {
      results.push(await evaluateRequirement(model, runner, now, product, requirement, null));
    } else {
      for (const project of projects) results.push(await evaluateRequirement(model, runner, now, product, requirement, project));
    }
  }
  // Per requirement once for all frameworks: its status counts (controls share requirements, and each has a result per project).
  const byRequirement = new Map<string, StatusCounts>();
  for (const r of results) {
    let counts = byRequirement.get(r.requirement);
    if (!counts) byRequirement.set(r.requirement, (counts = emptyCounts()));
    counts[r.status]++;
  }
  const frameworks = product.frameworks.filter((f) => f in model.frameworks).map((f) => frameworkReport(model.frameworks[f], product, byRequirement, model, withControls));
  const timeline = withTimeline ? await auditTimeline(model, runner, now, product, results) : [];
  return {
    name: product.metadata.name,
    displayName: product.metadata.displayName ?? product.metadata.name,
    version: product.version ?? null,
    owner: product.owner ?? null,
    projects,
    score: score(results.map((r) => r.status)),
    counts: countStatuses(results.map((r) => r.status)),
    results,
    frameworks,
    timeline,
  };
}

function frameworkReport(fw: Framework, product: Product, byRequirement: ReadonlyMap<string, StatusCounts>, model: Model, withControls: boolean): FrameworkReport {
  const countedRequirements = new Set<string>(); // in some applicable control: all their results count once
  // The first applicability entry of each control (`framework/control`), looked up once per control.
  const notApplicable = new Map<string, Product['applicability'][number]>();
  for (const a of product.applicability) if (a.control !== undefined && !notApplicable.has(a.control)) notApplicable.set(a.control, a);
  const prefix = `${fw.metadata.name}/`;
  if (!withControls) {
    // The requirements the score counts, as below, without the control reports.
    for (const control of fw.controls) {
      if (notApplicable.size && notApplicable.has(prefix + control.id)) continue;
      for (const ref of control.requirements) if (byRequirement.has(ref.ref) && ref.ref in model.requirements) countedRequirements.add(ref.ref);
    }
  }
  const controls: ControlReport[] = !withControls ? [] : fw.controls.map((control) => {
    const na = notApplicable.size ? notApplicable.get(prefix + control.id) : undefined;
    const counts = emptyCounts();
    const requirements: ControlRequirement[] = control.requirements.map((ref) => {
      const own = byRequirement.get(ref.ref);
      const resolvedReq = ref.ref in model.requirements;
      if (own) addCounts(counts, own);
      if (!resolvedReq) counts.MISSING++;
      else if (own && !na) countedRequirements.add(ref.ref);
      return { ref: ref.ref, relationship: ref.relationship, rationale: ref.rationale ?? null, resolved: resolvedReq, status: resolvedReq ? aggregateCounts(own ?? emptyCounts()) : 'MISSING' };
    });
    const passing = requirements.filter((r) => r.resolved && isPassing(r.status));
    const full = passing.find((r) => r.relationship === 'equal' || r.relationship === 'superset');
    const addressed = na ? 'none' : full ? 'full' : passing.length ? 'partial' : 'none';
    const explanation = na
      ? `${control.id} not applicable: ${na.rationale ?? 'listed in the applicability matrix'}`
      : full
        ? `${control.id} full: \`${full.ref}\` (${full.relationship}) passes`
        : passing.length
          ? `${control.id} partial: only ${passing.map((r) => `\`${r.ref}\` (${r.relationship})`).join(', ')} ${passing.length === 1 ? 'passes' : 'pass'}`
          : `${control.id} none: no mapped requirement passes`;
    return {
      id: control.id,
      name: control.name,
      path: [...control.path],
      tags: [...control.tags],
      status: na ? 'NOT_APPLICABLE' : aggregateCounts(counts),
      score: na ? null : scoreCounts(counts),
      addressed,
      explanation,
      applicable: !na,
      rationale: na?.rationale ?? null,
      requirements,
    };
  });
  const counts = emptyCounts();
  for (const ref of countedRequirements) addCounts(counts, byRequirement.get(ref)!);
  return { name: fw.metadata.name, displayName: fw.metadata.displayName ?? fw.metadata.name, score: scoreCounts(counts), counts, controls };
}

function addCounts(into: StatusCounts, from: StatusCounts): void {
  for (const s of Object.keys(from) as Status[]) into[s] += from[s];
}

/** Worst counted status; with none counted EXCEPTION if any, else NOT_APPLICABLE if any, else INACTIVE. */
function aggregateCounts(counts: StatusCounts): Status {
  const worst = severityOrder.find((s) => counts[s] > 0);
  if (worst) return worst;
  return counts.EXCEPTION > 0 ? 'EXCEPTION' : counts.NOT_APPLICABLE > 0 ? 'NOT_APPLICABLE' : 'INACTIVE';
}

/** `score` over statuses given by their counts: passing (PASSED, GRACE) among the counted ones. */
function scoreCounts(counts: StatusCounts): number | null {
  let counted = 0;
  for (const s of severityOrder) counted += counts[s];
  return counted ? (counts.PASSED + counts.GRACE) / counted : null;
}

function countStatuses(list: Status[]): StatusCounts {
  const counts = emptyCounts();
  for (const s of list) counts[s]++;
  return counts;
}

export { refName };
