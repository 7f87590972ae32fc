// Two evaluated reports → the results whose status changed, with the evidence
// behind them that changed. Pure.
import type { Model } from '../model/types.ts';
import type { Report, RequirementResult, Status } from './report-types.ts';

export interface EvidenceChange {
  path: string;
  from: string | null;
  to: string | null;
}

export interface ResultChange {
  product: string;
  requirement: string;
  project: string | null;
  from: Status | null;
  to: Status | null;
  evidence: EvidenceChange[];
}

export interface Side {
  rev: string;
  commit: string | null;
  now: string;
}

export interface ReportDiff {
  a: Side;
  b: Side;
  changes: ResultChange[];
}

export function diffReports(a: { side: Side; report: Report; model: Model }, b: { side: Side; report: Report; model: Model }): ReportDiff {
  const key = (product: string, r: RequirementResult) => `${product}\0${r.requirement}\0${r.project ?? ''}`;
  const index = (report: Report) => {
    const map = new Map<string, { product: string; result: RequirementResult }>();
    for (const p of report.products) for (const r of p.results) map.set(key(p.name, r), { product: p.name, result: r });
    return map;
  };
  const left = index(a.report);
  const right = index(b.report);
  const hashes = (model: Model) => {
    const map = new Map<string, string>();
    for (const e of model.evidence) map.set(e.path, e.sha256);
    for (const p of model.proofs) map.set(p.file, p.sha256);
    return map;
  };
  const ha = hashes(a.model);
  const hb = hashes(b.model);
  const changes: ResultChange[] = [];
  for (const k of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const x = left.get(k);
    const y = right.get(k);
    const from = x?.result.status ?? null;
    const to = y?.result.status ?? null;
    if (from === to) continue;
    const paths = new Set([...(x?.result.parts ?? []), ...(y?.result.parts ?? [])].flatMap((p) => p.evidence));
    const evidence = [...paths]
      .sort()
      .map((path) => ({ path, from: ha.get(path) ?? null, to: hb.get(path) ?? null }))
      .filter((e) => e.from !== e.to);
    const r = (x ?? y)!;
    changes.push({ product: r.product, requirement: r.result.requirement, project: r.result.project, from, to, evidence });
  }
  return { a: a.side, b: b.side, changes };
}
