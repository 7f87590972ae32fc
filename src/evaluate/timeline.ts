// The audit-period timeline (SPEC section 8): for each periodic policy and
// proof, the intervals inside the audit period during which it was fresh and
// passing, and the gaps between them. SOC 2 Type II asks for evidence that a
// control operated throughout the period.
import type { Model, Product, Proof, Requirement } from '../model/types.ts';
import type { PolicyRunner } from './policy-runner.ts';
import { addPeriod, proofsInScope } from './results.ts';
import type { RequirementResult } from './report-types.ts';

export interface Interval {
  start: string;
  end: string;
}

export interface TimelineEntry {
  requirement: string;
  project: string | null;
  type: 'policy' | 'proof';
  name: string;
  periodicity: string;
  intervals: Interval[];
  gaps: Interval[];
}

/** Normalised instants, memoised: the same run timestamps come back for every requirement and project. */
const isoMemo = new Map<string | number, string>();
const iso = (t: string | number) => {
  let out = isoMemo.get(t);
  if (out === undefined) {
    out = new Date(t).toISOString();
    if (isoMemo.size > 100_000) isoMemo.clear();
    isoMemo.set(t, out);
  }
  return out;
};

export async function auditTimeline(model: Model, runner: PolicyRunner, now: string, product: Product, results: RequirementResult[]): Promise<TimelineEntry[]> {
  const period = model.config.audit?.period;
  if (!period) return [];
  const start = iso(`${period.start}T00:00:00Z`);
  const endOfPeriod = new Date(`${period.end}T00:00:00Z`);
  endOfPeriod.setUTCDate(endOfPeriod.getUTCDate() + 1);
  // Gaps after `now` have not happened yet.
  const end = endOfPeriod.toISOString() < now ? endOfPeriod.toISOString() : now;
  if (end <= start) return [];
  const entries: TimelineEntry[] = [];
  for (const result of results) {
    if (result.status === 'INACTIVE' || result.status === 'NOT_APPLICABLE') continue;
    const requirement = model.requirements[result.requirement] as Requirement;
    for (const part of result.parts) {
      if (part.optional) continue;
      if (part.type === 'policy') {
        const spec = requirement.policies.find((p) => runner.handle(p.ref)?.name === part.name);
        if (!spec?.periodicity || !part.with || !part.project) continue;
        const history = await runner.history(part.project, part.name, part.with);
        const raw: Interval[] = [];
        history.forEach((e, i) => {
          if (e.status !== 'PASSED' || !e.timestamp) return;
          const next = history[i + 1]?.timestamp;
          const fresh = addPeriod(e.timestamp, spec.periodicity!); // memoised in results.ts: the same runs recur for every requirement
          raw.push({ start: iso(e.timestamp), end: next && iso(next) < fresh ? iso(next) : fresh });
        });
        entries.push(entry(result, 'policy', part.name, spec.periodicity.text, raw, start, end));
      } else {
        const spec = requirement.manualProofs.find((m) => m.name === part.name);
        if (!spec?.periodicity) continue;
        const proofs = proofsFor(model, product, result, part.name);
        const raw = proofs.filter((p) => p.result === 'pass' && p.date).map((p) => ({ start: iso(p.date!), end: addPeriod(p.date!, spec.periodicity!) }));
        entries.push(entry(result, 'proof', part.name, spec.periodicity.text, raw, start, end));
      }
    }
  }
  return entries;
}

function proofsFor(model: Model, product: Product, result: RequirementResult, name: string): Proof[] {
  return proofsInScope(model, result.requirement, name, product.metadata.name, result.project);
}

function entry(result: RequirementResult, type: 'policy' | 'proof', name: string, periodicity: string, raw: Interval[], start: string, end: string): TimelineEntry {
  const intervals = clip(merge(raw), start, end);
  return { requirement: result.requirement, project: result.project, type, name, periodicity, intervals, gaps: complement(intervals, start, end) };
}

export function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ ...i });
  }
  return out;
}

function clip(list: Interval[], start: string, end: string): Interval[] {
  return list
    .map((i) => ({ start: i.start < start ? start : i.start, end: i.end > end ? end : i.end }))
    .filter((i) => i.start < i.end);
}

export function complement(list: Interval[], start: string, end: string): Interval[] {
  const gaps: Interval[] = [];
  let cursor = start;
  for (const i of list) {
    if (i.start > cursor) gaps.push({ start: cursor, end: i.start });
    if (i.end > cursor) cursor = i.end;
  }
  if (cursor < end) gaps.push({ start: cursor, end });
  return gaps;
}
