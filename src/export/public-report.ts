// The outward-facing report (`build --public`, SPEC section 9): statuses,
// scores, counts and, for each result, the evidence kinds and dates behind
// it. Violations only for public projects; nothing that names or hashes a
// confidential proof or the evidence of a confidential project.
import type { Part, ProductReport, Report, RequirementResult } from '../evaluate/report-types.ts';
import type { Model } from '../model/types.ts';

export function publicReport(report: Report, model: Model): Report {
  const confidentialPaths = new Set<string>();
  for (const e of [...model.evidence, ...model.evidenceHistory]) if (e.project !== null && model.projects[e.project]?.confidential) confidentialPaths.add(e.path);
  for (const p of model.proofs) {
    if (p.confidential || (p.project !== undefined && model.projects[p.project]?.confidential)) {
      confidentialPaths.add(p.file);
      for (const a of p.attachments) confidentialPaths.add(a.path);
    }
  }
  const isPublicProject = (name: string | null) => name !== null && model.projects[name]?.public === true;

  const part = (x: Part, result: RequirementResult): Part => {
    const project = x.project ?? result.project;
    const withheld = x.evidence.some((p) => confidentialPaths.has(p)) || (x.proof !== null && confidentialPaths.has(x.proof.file));
    const showViolations = isPublicProject(project) && !withheld;
    return {
      ...x,
      evidence: x.evidence.filter((p) => !confidentialPaths.has(p)),
      message: withheld ? `${x.status}; details withheld (confidential).` : showViolations ? x.message : x.message.replace(/:.*$/s, '.'),
      proof: x.proof && !confidentialPaths.has(x.proof.file) ? x.proof : null,
      evaluation: x.evaluation
        ? {
            ...x.evaluation,
            evidence: x.evaluation.evidence.filter((p) => !confidentialPaths.has(p)),
            violations: showViolations ? x.evaluation.violations : [],
            reason: withheld ? null : x.evaluation.reason && mentionsNone(x.evaluation.reason, confidentialPaths) ? x.evaluation.reason : null,
          }
        : null,
    };
  };
  const product = (p: ProductReport): ProductReport => ({ ...p, results: p.results.map((r) => ({ ...r, parts: r.parts.map((x) => part(x, r)) })) });
  return { ...report, products: report.products.map(product) };
}

function mentionsNone(text: string, paths: Set<string>): boolean {
  for (const p of paths) if (text.includes(p) || text.includes(p.split('/').pop()!)) return false;
  return true;
}
