// Small EvidenceItem objects and policy inputs for the policy tests.
import type { Component, EvidenceData, EvidenceKind, Sbom, Vulnerability } from '../../src/evidence/types.ts';
import { facetsOf } from '../../src/evidence/facets.ts';
import type { CommitInfo, EvidenceItem } from '../../src/model/types.ts';
import { resolveParameters } from '../../src/policies/parameters.ts';
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../../src/policies/types.ts';

let counter = 0;

/** An evidence item of `kind` with `data`; path, stream and timestamp can be overridden. */
export function item(kind: EvidenceKind, data: EvidenceData, overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  counter++;
  return {
    path: `evidence/app/${kind}-${counter}.json`,
    project: 'app',
    stream: 'evidence/app',
    kind,
    size: 100,
    sha256: '0'.repeat(64),
    git: { dirty: false, versions: [] },
    timestamp: '2026-01-01T00:00:00Z',
    timestampSource: 'content',
    data,
    broken: false,
    ...overrides,
    facets: facetsOf(overrides.data ?? data),
  };
}

/** A policy input at `at` (default 2026-02-01) with these items; history defaults to the current state. */
export function input(primary: EvidenceItem[], overrides: Partial<PolicyInput> = {}): PolicyInput {
  const at = overrides.at ?? '2026-02-01T00:00:00Z';
  return {
    at,
    primary,
    supporting: [],
    history: primary.length > 0 ? [{ timestamp: at, primary }] : [],
    commits: [],
    files: {},
    ...overrides,
  };
}

/** The policy's parameters after defaults; throws on invalid ones (a test mistake). */
export function params<P>(policy: BuiltinPolicy<P>, given: Record<string, unknown> = {}): P {
  const r = resolveParameters<P>(policy.meta.parameters, given);
  if (!r.ok) throw new Error(`invalid parameters: ${JSON.stringify(r.errors)}`);
  return r.params as P;
}

/** Evaluate with parameters after defaults. */
export function run<P>(policy: BuiltinPolicy<P>, inp: PolicyInput, given: Record<string, unknown> = {}): PolicyVerdict {
  return policy.evaluate(inp, params(policy, given));
}

export function component(name: string, version: string, extra: Partial<Component> = {}): Component {
  return { name, version, purl: `pkg:npm/${name}@${version}`, supplier: 'Acme', bomRef: `${name}@${version}`, hashes: {}, ...extra };
}

export function sbom(components: Component[], extra: Partial<Sbom> = {}): Sbom {
  return {
    format: 'cyclonedx',
    specVersion: '1.6',
    timestamp: '2026-01-01T00:00:00Z',
    authors: [],
    tools: ['cyclonedx-npm'],
    components,
    dependencies: [{ ref: 'root', dependsOn: components.map((c) => c.bomRef ?? '') }],
    ...extra,
  };
}

export function vuln(id: string, severity: Vulnerability['severity'], pkg: Vulnerability['package'], extra: Partial<Vulnerability> = {}): Vulnerability {
  return { id, aliases: [], severity, ...(pkg ? { package: pkg } : {}), ...extra };
}

export function scanItem(scanner: 'grype' | 'trivy' | 'osv-scanner' | 'npm-audit' | 'cyclonedx', vulnerabilities: Vulnerability[], overrides: Partial<EvidenceItem> = {}, target?: string): EvidenceItem {
  return item(scanner, { scan: { scanner, vulnerabilities, ...(target ? { target } : {}) } }, overrides);
}

export function commit(sha: string, date: string, signed: boolean, extra: Partial<CommitInfo['signature']> = {}, author = 'Alice'): CommitInfo {
  return {
    sha,
    date,
    author,
    authorEmail: `${author.toLowerCase()}@example.org`,
    subject: 'change',
    signature: { status: signed ? 'G' : 'N', signed, ...extra },
  };
}
