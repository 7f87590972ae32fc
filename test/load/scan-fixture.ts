// A minimal content repo around one Grype scan: a framework, a requirement
// over the scan, a product with one project. Shared by the git-driven tests.

/** A Grype report from `timestamp`, with one finding of `severity` (none when null). */
export const grype = (timestamp: string, severity: string | null) =>
  JSON.stringify({
    matches: severity ? [{ vulnerability: { id: 'CVE-2026-0001', severity }, artifact: { name: 'lib', version: '1.0.0', type: 'npm', purl: 'pkg:npm/lib@1.0.0' } }] : [],
    source: { type: 'directory', target: '.' },
    descriptor: { name: 'grype', version: '0.80.0', timestamp },
  });

/** The resources; `req` fails on a HIGH or worse finding, with a 48-hour SLA. */
export const resources = {
  'evident.yaml': 'apiVersion: evident/v1\nkind: Config\nmetadata: {name: c}\nspec: {}\n',
  'fw.yaml': 'apiVersion: evident/v1\nkind: Framework\nmetadata: {name: fw}\nspec:\n  sections:\n    - {name: S, id: S1, requirements: [{ref: req}]}\n',
  'req.yaml': 'apiVersion: evident/v1\nkind: Requirement\nmetadata: {name: req}\nspec:\n  policies: [{ref: vulnerabilities, with: {severity: HIGH}, sla: 48}]\n',
  'product.yaml': 'apiVersion: evident/v1\nkind: Product\nmetadata: {name: prod}\nspec: {projects: [p], frameworks: [fw]}\n---\napiVersion: evident/v1\nkind: Project\nmetadata: {name: p}\nspec:\n  policies: [{ref: vulnerabilities}]\n',
};
