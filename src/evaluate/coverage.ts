// Coverage (SPEC section 8): static, contract entries vs a requirement's
// policies. FULL when every policy is matched (explicitly or by compatible
// parameters), PARTIAL when some are, NONE otherwise.
import type { Model, Requirement } from '../model/types.ts';
import { PolicyRunner, stableJson } from './policy-runner.ts';
import { contractEntriesOf, refName } from './results.ts';

export interface PolicyCoverage {
  policy: string;
  with: Record<string, unknown> | null;
  match: 'explicit' | 'auto' | null;
  /** Entries with the right ref but incompatible parameters. */
  mismatches: { with: Record<string, unknown>; source: string }[];
}

export interface ProjectCoverage {
  project: string;
  coverage: 'FULL' | 'PARTIAL' | 'NONE';
  policies: PolicyCoverage[];
}

export function coverageOf(model: Model, requirement: Requirement): ProjectCoverage[] {
  const runner = new PolicyRunner(model, '1970-01-01T00:00:00.000Z');
  const name = requirement.metadata.name;
  return Object.keys(model.projects).map((project) => {
    const entries = contractEntriesOf(model, project);
    const policies: PolicyCoverage[] = requirement.policies.map((policy) => {
      const handle = runner.handle(policy.ref);
      const reqParams = runner.params(policy.ref, policy.with) ?? null;
      const same = handle ? entries.filter((e) => runner.handle(e.ref)?.name === handle.name) : [];
      const explicit = same.find((e) => e.requirements.some((q) => refName(q) === name));
      const compatible = model.config.autoMatch && reqParams ? same.find((e) => { const p = runner.params(e.ref, e.with); return p !== undefined && handle!.compatible(p, reqParams); }) : undefined;
      const mismatches = same
        .filter((e) => e !== explicit && e !== compatible)
        .map((e) => ({ with: runner.params(e.ref, e.with) ?? e.with, source: `${e.source.file}:${e.source.line}` }))
        .filter((m, i, all) => all.findIndex((x) => stableJson(x.with) === stableJson(m.with)) === i);
      return { policy: handle?.name ?? policy.ref, with: reqParams, match: explicit ? 'explicit' : compatible ? 'auto' : null, mismatches: explicit || compatible ? [] : mismatches };
    });
    const matched = policies.filter((p) => p.match).length;
    const coverage = policies.length > 0 && matched === policies.length ? 'FULL' : matched > 0 ? 'PARTIAL' : 'NONE';
    return { project, coverage, policies };
  });
}
