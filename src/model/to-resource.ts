// Model → the resource document it came from, for `frameworks <name> --format yaml`
// (a team copies a built-in and adapts it) and `requirements <name>`.
import type { Framework, Requirement, RequirementRef, Section } from './types.ts';

export function frameworkToResource(fw: Framework): Record<string, unknown> {
  const refs = (list: RequirementRef[]) => list.map((r) => ({ ref: r.ref, relationship: r.relationship, ...(r.rationale ? { rationale: r.rationale } : {}) }));
  const section = (s: Section): Record<string, unknown> => ({
    name: s.name,
    id: s.id,
    ...(s.description ? { description: s.description } : {}),
    ...(s.tags.length ? { tags: [...s.tags] } : {}),
    ...(s.requirements.length ? { requirements: refs(s.requirements) } : {}),
    ...(s.sections.length ? { sections: s.sections.map(section) } : {}),
  });
  const implicit = fw.controls.find((c) => c.id === fw.metadata.name && c.path.length === 0 && !fw.sections.some((s) => s.id === c.id));
  return {
    apiVersion: 'evident/v1',
    kind: 'Framework',
    metadata: metadataOut(fw.metadata),
    spec: {
      ...(implicit ? { requirements: refs(implicit.requirements) } : {}),
      sections: fw.sections.map(section),
    },
  };
}

export function requirementToResource(req: Requirement): Record<string, unknown> {
  return {
    apiVersion: 'evident/v1',
    kind: 'Requirement',
    metadata: metadataOut(req.metadata),
    spec: {
      ...(req.active ? {} : { active: false }),
      ...(req.policies.length
        ? {
            policies: req.policies.map((p) => ({
              ref: p.ref,
              ...(Object.keys(p.with).length ? { with: p.with } : {}),
              ...(p.periodicity ? { periodicity: p.periodicity.text } : {}),
              ...(p.sla !== undefined ? { sla: p.sla } : {}),
            })),
          }
        : {}),
      ...(req.manualProofs.length
        ? {
            manual_proofs: req.manualProofs.map((m) => ({
              name: m.name,
              ...(m.description ? { description: m.description } : {}),
              ...(m.optional ? { optional: true } : {}),
              ...(m.periodicity ? { periodicity: m.periodicity.text } : {}),
            })),
          }
        : {}),
    },
  };
}

function metadataOut(m: Framework['metadata']): Record<string, unknown> {
  return {
    name: m.name,
    ...(m.displayName ? { displayName: m.displayName } : {}),
    ...(m.description ? { description: m.description } : {}),
    ...(Object.keys(m.annotations).length ? { annotations: { ...m.annotations } } : {}),
  };
}
