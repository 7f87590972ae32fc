// Parsed documents → a plain, frozen Model: schema validation, Chainloop
// import, built-ins, and reference resolution. Every problem is collected.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { resolveInside, resolveRootPath } from '../load/files.ts';
import type { LoadedContent, ParsedDocument, ParsedMarkdown } from '../load/load-content.ts';
import { isObject } from '../load/load-content.ts';
import { builtinPolicies, canonicalPolicyName } from '../policies/index.ts';
import { resolveParameters } from '../policies/parameters.ts';
import { parsePeriodicity } from '../policies/periodicity.ts';
import { evidenceKinds } from '../evidence/types.ts';
import type { PathSegment, YamlDocument } from '../parse/yaml.ts';
import { proofSchema, resourceSchemas, type ResourceKind } from './schemas.ts';
import { didYouMean } from './suggest.ts';
import type {
  ApplicabilityEntry,
  CommitInfo,
  ConfigSpec,
  Contract,
  ContractEntry,
  Control,
  CustomPolicy,
  EvidenceItem,
  ExceptionEntry,
  Framework,
  Metadata,
  Model,
  OverrideEntry,
  Periodicity,
  Product,
  Project,
  Proof,
  Requirement,
  RequirementRef,
  Section,
  SourceRef,
} from './types.ts';
import { validateAgainstSchema } from './validate-schema.ts';

export interface BuildInput extends LoadedContent {
  builtins: ParsedDocument[];
}

type Named = { metadata: Metadata; source: SourceRef; builtin: boolean };

export function buildModel(input: BuildInput): Model {
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const report = (d: Diagnostic) => diagnostics.push(d);

  const at = (doc: ParsedDocument, path: PathSegment[] = []): SourceRef => ({ file: doc.file, ...doc.doc.positionOf(path) });
  const diag = (doc: ParsedDocument, path: PathSegment[], severity: Diagnostic['severity'], code: string, message: string, hint?: string) =>
    report({ file: doc.file, ...doc.doc.positionOf(path), severity, code, message, ...(hint ? { hint } : {}) });

  const frameworks: Record<string, Framework> = {};
  const requirements: Record<string, Requirement> = {};
  const policies: Record<string, CustomPolicy> = {};
  const contracts: Record<string, Contract> = {};
  const projects: Record<string, Project> = {};
  const products: Record<string, Product> = {};
  let config: ConfigSpec = defaultConfig();
  let configSource: SourceRef | undefined;

  const registries = { Framework: frameworks, Requirement: requirements, Policy: policies, Contract: contracts, Project: projects, Product: products } as unknown as Record<string, Record<string, Named>>;

  const register = <T extends Named>(kind: string, resource: T, doc: ParsedDocument) => {
    const registry = registries[kind];
    const existing = registry[resource.metadata.name];
    if (existing && !existing.builtin) {
      diag(doc, ['metadata', 'name'], 'error', 'duplicate-name', `${kind} "${resource.metadata.name}" is already defined at ${existing.source.file}:${existing.source.line}:${existing.source.column}; this one is ignored.`);
      return;
    }
    if (existing?.builtin && !resource.builtin) {
      diag(doc, ['metadata', 'name'], 'note', 'builtin-replaced', `${kind} "${resource.metadata.name}" replaces the built-in one of the same name.`);
    }
    registry[resource.metadata.name] = resource;
    registered = { kind, resource };
  };
  let registered: { kind: string; resource: Named } | undefined;

  const buildOne = (doc: ParsedDocument, builtin: boolean): void => {
    const data = doc.data;
    if (!isObject(data) || (data.apiVersion === undefined && data.kind === undefined)) {
      diag(doc, [], 'warning', 'missing-kind', 'This YAML document has no apiVersion and kind, so it is not a resource; it is skipped.');
      return;
    }
    const apiVersion = data.apiVersion;
    const kind = data.kind;
    if (apiVersion === 'chainloop.dev/v1' && (kind === 'Policy' || kind === 'PolicyGroup')) {
      diag(doc, ['kind'], 'warning', 'chainloop-rego-policy', `Chainloop ${kind} "${String(data.metadata?.name ?? '')}" is recognised, but evident does not execute Rego; it is not used.`);
      return;
    }
    if (apiVersion === 'chainloop.dev/v1' && kind === 'Contract') {
      const contract = importChainloopContract(doc, diag, builtin);
      if (contract) register('Contract', contract, doc);
      return;
    }
    if (typeof kind !== 'string' || !(kind in resourceSchemas)) {
      diag(doc, ['kind'], 'error', 'unknown-kind', `Unknown kind ${JSON.stringify(kind)}.${didYouMean(String(kind), Object.keys(resourceSchemas))}`);
      return;
    }
    const schema = resourceSchemas[kind as ResourceKind];
    if (apiVersion !== 'evident/v1' && !(apiVersion === 'chainloop.dev/v1' && (kind === 'Framework' || kind === 'Requirement'))) {
      diag(doc, ['apiVersion'], 'error', 'unknown-api-version', `apiVersion ${JSON.stringify(apiVersion)} is not accepted for ${kind}; use evident/v1${kind === 'Framework' || kind === 'Requirement' ? ' or chainloop.dev/v1' : ''}.`);
      return;
    }
    const problems = validateAgainstSchema(schema, data, doc.doc, doc.file);
    diagnostics.push(...problems);
    if (problems.some((p) => p.severity === 'error')) return; // left out; results that need it say so
    const spec = (data.spec ?? {}) as Record<string, any>;
    const refSources: Record<string, SourceRef> = {};
    for (const field of ['contracts', 'projects', 'frameworks']) {
      if (Array.isArray(spec[field])) spec[field].forEach((_: unknown, i: number) => (refSources[`${field}.${i}`] = at(doc, ['spec', field, i])));
    }
    const base = { apiVersion, metadata: metadataOf(data.metadata), source: at(doc), builtin, refSources } as const;
    switch (kind as ResourceKind) {
      case 'Framework':
        register('Framework', buildFramework(base, spec, doc, diag), doc);
        break;
      case 'Requirement':
        register('Requirement', buildRequirement(base, spec, doc, diag), doc);
        break;
      case 'Policy': {
        const policy = buildCustomPolicy(base, spec, doc, diag);
        if (canonicalPolicyName(policy.metadata.name)) {
          diag(doc, ['metadata', 'name'], 'note', 'builtin-replaced', `Policy "${policy.metadata.name}" replaces the built-in policy of the same name.`);
        }
        register('Policy', policy, doc);
        break;
      }
      case 'Contract':
        register('Contract', { ...base, kind: 'Contract', policies: contractEntries(spec.policies, doc, ['spec', 'policies']) }, doc);
        break;
      case 'Project': {
        const name = base.metadata.name;
        const evidence = typeof spec.evidence === 'string' ? resolveRootPath(spec.evidence) : `evidence/${name}`;
        if (evidence === undefined) diag(doc, ['spec', 'evidence'], 'error', 'path-outside-root', `The evidence folder "${spec.evidence}" leaves the content root.`);
        register(
          'Project',
          {
            ...base,
            kind: 'Project',
            evidence: (evidence ?? `evidence/${name}`).replace(/\/+$/, ''),
            ...(spec.owner ? { owner: spec.owner } : {}),
            public: spec.public === true,
            confidential: spec.confidential === true,
            contracts: spec.contracts ?? [],
            policies: contractEntries(spec.policies, doc, ['spec', 'policies']),
          } satisfies Project,
          doc,
        );
        break;
      }
      case 'Product':
        register('Product', buildProduct(base, spec, doc, diag, input.blame.get(doc.file)), doc);
        break;
      case 'Config':
        if (configSource) {
          diag(doc, ['kind'], 'error', 'multiple-configs', `A Config is already defined at ${configSource.file}:${configSource.line}; this one is ignored.`);
          break;
        }
        configSource = at(doc);
        config = buildConfig(spec, doc, diag);
        break;
    }
  };

  const all = [...input.builtins.map((d) => ({ d, builtin: true })), ...input.documents.map((d) => ({ d, builtin: false }))];
  for (const { d: doc, builtin } of all) {
    // A built-in catalog document builds the same resource in every model (`history` builds one per commit).
    const held = builtin ? builtinsBuilt.get(doc) : undefined;
    if (held) {
      diagnostics.push(...held.diagnostics);
      if (held.registered) register(held.registered.kind, held.registered.resource, doc);
      continue;
    }
    const start = diagnostics.length;
    registered = undefined;
    buildOne(doc, builtin);
    if (builtin) builtinsBuilt.set(doc, { diagnostics: diagnostics.slice(start), registered });
  }

  resolveReferences({ frameworks, requirements, policies, contracts, projects, products }, report);
  const proofs = buildProofs(input.markdown, input.files, requirements, projects, products, input.git.shallow, report);

  // Evidence belongs to the project whose evidence folder holds it (longest match).
  const folders = Object.values(projects)
    .map((p) => ({ name: p.metadata.name, folder: p.evidence + '/' }))
    .sort((a, b) => b.folder.length - a.folder.length);
  // By folder (the first of equal folders, as a search of the sorted list finds): an item tries its own
  // folders from the deepest up, instead of every project's folder.
  const byFolder = new Map<string, { name: string }>();
  for (const f of folders) if (!byFolder.has(f.folder)) byFolder.set(f.folder, f);
  const ownerOf = (file: string) => {
    for (let i = file.lastIndexOf('/'); i >= 0; i = file.lastIndexOf('/', i - 1)) {
      const owner = byFolder.get(file.slice(0, i + 1));
      if (owner) return owner;
      if (i === 0) break;
    }
    return undefined;
  };
  const unclaimed = new Set<string>();
  const evidence = input.evidence.map((item) => {
    if (isShared(item.path)) return withProject(item, null);
    const owner = ownerOf(item.path);
    if (!owner) unclaimed.add(item.path.split('/').slice(0, 2).join('/'));
    return withProject(item, owner ? owner.name : null);
  });
  const projectOf = new Map(evidence.map((e) => [e.path, e.project]));
  for (const folder of [...unclaimed].sort()) {
    report({ file: folder, severity: 'warning', code: 'evidence-no-project', message: `No project reads the evidence in ${folder}/; it is listed but judged by no policy.`, hint: 'Name the folder after a project, or set the project\'s spec.evidence.' });
  }

  // Auxiliary files referenced by policy parameters (keys, trusted roots), read at the edge already.
  const files: Record<string, string> = {};
  for (const [p, f] of input.files) if (f.text !== undefined && /\.(pem|pub|json|asc|key|crt)$/i.test(p) && !p.startsWith('evidence/')) files[p] = f.text;

  const model: Model = {
    config,
    ...(configSource ? { configSource } : {}),
    frameworks: sortRecord(frameworks),
    requirements: sortRecord(requirements),
    policies: sortRecord(policies),
    contracts: sortRecord(contracts),
    projects: sortRecord(projects),
    products: sortRecord(products),
    proofs: proofs.sort((a, b) => cmp(a.file, b.file)),
    evidence: evidence.sort((a, b) => cmp(a.path, b.path)),
    evidenceHistory: input.evidenceHistory
      .map((h) => withProject(h, projectOf.get(h.path) ?? null))
      .sort((a, b) => cmp(a.path, b.path) || cmp(a.timestamp ?? '', b.timestamp ?? '')),
    files,
    git: input.git,
    diagnostics: sortDiagnostics(diagnostics),
  };
  return deepFreeze(model);
}

type Diag = (doc: ParsedDocument, path: PathSegment[], severity: Diagnostic['severity'], code: string, message: string, hint?: string) => void;

function metadataOf(m: Record<string, any>): Metadata {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.annotations ?? {})) annotations[k] = String(v);
  return {
    name: m.name,
    ...(m.displayName ? { displayName: m.displayName } : {}),
    ...(m.description ? { description: m.description } : {}),
    annotations,
  };
}

function refAt(doc: ParsedDocument, path: PathSegment[]): SourceRef {
  return { file: doc.file, ...doc.doc.positionOf(path) };
}

function buildFramework(base: Omit<Framework, 'kind' | 'sections' | 'controls'>, spec: Record<string, any>, doc: ParsedDocument, diag: Diag): Framework {
  const chainloop = base.apiVersion === 'chainloop.dev/v1';
  const seenRefs = new Map<string, SourceRef>();
  const seenIds = new Map<string, SourceRef>();
  const controls: Control[] = [];

  const refs = (list: any[] | undefined, path: PathSegment[]): RequirementRef[] => {
    const out: RequirementRef[] = [];
    (list ?? []).forEach((r, i) => {
      const source = refAt(doc, [...path, i, 'ref']);
      if (chainloop) {
        const first = seenRefs.get(r.ref);
        if (first) {
          diag(doc, [...path, i, 'ref'], 'error', 'duplicate-requirement-ref', `Requirement "${r.ref}" is already listed at line ${first.line}; a chainloop.dev/v1 framework lists a requirement once, so this entry is ignored.`);
          return;
        }
        seenRefs.set(r.ref, source);
      }
      out.push({ ref: r.ref, relationship: r.relationship ?? 'intersects', ...(r.rationale ? { rationale: r.rationale } : {}), source });
    });
    return out;
  };

  const section = (s: Record<string, any>, path: PathSegment[], ancestors: string[]): Section => {
    const id = s.id ?? slug(s.name);
    const source = refAt(doc, path);
    const requirementsList = refs(s.requirements, [...path, 'requirements']);
    const isControl = Array.isArray(s.requirements) && s.requirements.length > 0;
    const first = seenIds.get(id);
    if (first) diag(doc, [...path, s.id ? 'id' : 'name'], 'error', 'duplicate-control-id', `Section id "${id}" is already used at line ${first.line}.`);
    else seenIds.set(id, source);
    const children: Section[] = [];
    const result: Section = { id, name: s.name, ...(s.description ? { description: s.description } : {}), tags: s.tags ?? [], requirements: requirementsList, sections: children, isControl, source };
    if (isControl) controls.push({ id, name: s.name, ...(s.description ? { description: s.description } : {}), tags: s.tags ?? [], path: ancestors, requirements: requirementsList, source });
    (s.sections ?? []).forEach((child: any, i: number) => children.push(section(child, [...path, 'sections', i], [...ancestors, s.name])));
    return result;
  };

  const sections: Section[] = [];
  if (Array.isArray(spec.requirements) && spec.requirements.length) {
    // Requirements directly under spec form an implicit control named after the framework.
    const list = refs(spec.requirements, ['spec', 'requirements']);
    const source = refAt(doc, ['spec', 'requirements']);
    seenIds.set(base.metadata.name, source);
    controls.push({ id: base.metadata.name, name: base.metadata.displayName ?? base.metadata.name, tags: [], path: [], requirements: list, source });
  }
  (spec.sections ?? []).forEach((s: any, i: number) => sections.push(section(s, ['spec', 'sections', i], [])));
  return { ...base, kind: 'Framework', sections, controls };
}

function buildRequirement(base: Omit<Requirement, 'kind' | 'active' | 'scope' | 'categories' | 'policies' | 'manualProofs'>, spec: Record<string, any>, doc: ParsedDocument, diag: Diag): Requirement {
  const scopeText = (base.metadata.annotations.scope ?? 'PROJECT').toUpperCase();
  if (scopeText !== 'PROJECT' && scopeText !== 'PRODUCT') {
    diag(doc, ['metadata', 'annotations', 'scope'], 'error', 'schema-invalid', `scope must be PROJECT or PRODUCT, not "${base.metadata.annotations.scope}"; PROJECT is used.`);
  }
  const periodicityAt = (text: unknown, path: PathSegment[]): Periodicity | undefined => {
    if (text === undefined) return undefined;
    const p = parsePeriodicity(String(text));
    if (!p) diag(doc, path, 'error', 'invalid-periodicity', `"${text}" is not a periodicity.`);
    return p;
  };
  return {
    ...base,
    kind: 'Requirement',
    active: spec.active !== false,
    scope: scopeText === 'PRODUCT' ? 'PRODUCT' : 'PROJECT',
    categories: (base.metadata.annotations.categories ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    policies: (spec.policies ?? []).map((p: any, i: number) => {
      const periodicity = periodicityAt(p.periodicity, ['spec', 'policies', i, 'periodicity']);
      return { ref: p.ref, with: p.with ?? {}, ...(periodicity ? { periodicity } : {}), ...(p.sla !== undefined ? { sla: p.sla } : {}), source: refAt(doc, ['spec', 'policies', i, 'ref']) };
    }),
    manualProofs: (spec.manual_proofs ?? []).map((m: any, i: number) => {
      const periodicity = periodicityAt(m.periodicity, ['spec', 'manual_proofs', i, 'periodicity']);
      return { name: m.name, ...(m.description ? { description: m.description } : {}), optional: m.optional === true, ...(periodicity ? { periodicity } : {}), source: refAt(doc, ['spec', 'manual_proofs', i]) };
    }),
  };
}

function buildCustomPolicy(base: Omit<CustomPolicy, 'kind' | 'kinds' | 'parameters' | 'violations' | 'expressionSource'>, spec: Record<string, any>, doc: ParsedDocument, diag: Diag): CustomPolicy {
  const kinds = (spec.kinds as string[]).filter((k, i) => {
    if ((evidenceKinds as readonly string[]).includes(k)) return true;
    diag(doc, ['spec', 'kinds', i], 'error', 'policy-unknown-kind', `Unknown evidence kind "${k}".${didYouMean(k, evidenceKinds)}`);
    return false;
  });
  return { ...base, kind: 'Policy', kinds: kinds as CustomPolicy['kinds'], parameters: spec.with ?? { type: 'object' }, violations: spec.violations, expressionSource: refAt(doc, ['spec', 'violations']) };
}

function contractEntries(list: any[] | undefined, doc: ParsedDocument, path: PathSegment[]): ContractEntry[] {
  return (list ?? []).map((e, i) => ({ ref: e.ref, with: e.with ?? {}, requirements: e.requirements ?? [], source: refAt(doc, [...path, i, 'ref']) }));
}

/** A chainloop.dev/v1 Contract: its policy attachments become contract entries. */
function importChainloopContract(doc: ParsedDocument, diag: Diag, builtin: boolean): Contract | undefined {
  const data = doc.data as Record<string, any>;
  const name = data.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) {
    diag(doc, ['metadata', 'name'], 'error', 'schema-invalid', 'A Chainloop Contract needs a kebab-case metadata.name.');
    return undefined;
  }
  const entries: ContractEntry[] = [];
  const policies = isObject(data.spec?.policies) ? data.spec.policies : {};
  for (const group of ['materials', 'attestation'] as const) {
    const list = Array.isArray(policies[group]) ? policies[group] : [];
    list.forEach((p: any, i: number) => {
      const path: PathSegment[] = ['spec', 'policies', group, i, 'ref'];
      const ref = typeof p?.ref === 'string' ? p.ref : undefined;
      if (!ref) {
        diag(doc, ['spec', 'policies', group, i], 'warning', 'chainloop-remote-ref', 'This policy attachment has no ref (an embedded policy); evident does not execute Rego, so it is skipped.');
        return;
      }
      if (/^(file|https?|oci):\/\//.test(ref) || ref.includes('/')) {
        diag(doc, path, 'warning', 'chainloop-remote-ref', `Policy ref "${ref}" points at a file or URL; evident never fetches policies, so it is skipped.`);
        return;
      }
      const withArgs: Record<string, unknown> = isObject(p.with) ? { ...p.with } : {};
      entries.push({ ref: ref.replace(/^chainloop:\/\//, ''), with: withArgs, requirements: Array.isArray(p.requirements) ? p.requirements : [], source: refAt(doc, path) });
    });
  }
  return { apiVersion: 'evident/v1', kind: 'Contract', metadata: metadataOf(data.metadata), source: refAt(doc, []), builtin, policies: entries };
}

function buildProduct(
  base: Omit<Product, 'kind' | 'projects' | 'frameworks' | 'applicability' | 'exceptions' | 'overrides'>,
  spec: Record<string, any>,
  doc: ParsedDocument,
  diag: Diag,
  blame: Map<number, CommitInfo | null> | undefined,
): Product {
  // The newest commit among the entry's lines; null when a line is uncommitted.
  const changedBy = (key: string, i: number): { changedBy?: CommitInfo | null } => {
    if (!blame) return {};
    const start = doc.doc.positionOf(['spec', key, i]).line;
    const end = doc.doc.endOf(['spec', key, i]).line;
    let newest: CommitInfo | null | undefined;
    for (let line = start; line <= end; line++) {
      if (!blame.has(line)) continue;
      const c = blame.get(line) ?? null;
      if (c === null) return { changedBy: null };
      if (!newest || c.date > newest.date) newest = c;
    }
    return { changedBy: newest ?? null };
  };
  const scope = (e: any, path: PathSegment[]): string[] | undefined => {
    if (e.project !== undefined && e.projects !== undefined) diag(doc, path, 'error', 'invalid-scope', 'Give either project or projects, not both; both are used.');
    if (e.project === undefined && e.projects === undefined) return undefined;
    return [...(e.project !== undefined ? [e.project] : []), ...(e.projects ?? [])];
  };
  const withScope = <T extends object>(e: any, i: number, key: string, value: T): T => {
    const projects = scope(e, ['spec', key, i]);
    return { ...value, ...(projects ? { projects } : {}), ...(e.rationale ? { rationale: e.rationale } : {}), source: refAt(doc, ['spec', key, i]) };
  };
  return {
    ...base,
    kind: 'Product',
    ...(spec.version !== undefined ? { version: String(spec.version) } : {}),
    ...(spec.owner ? { owner: spec.owner } : {}),
    projects: spec.projects ?? [],
    frameworks: spec.frameworks ?? [],
    applicability: (spec.applicability ?? []).map((e: any, i: number) => withScope(e, i, 'applicability', { ...(e.requirement ? { requirement: e.requirement } : {}), ...(e.control ? { control: e.control } : {}) } as ApplicabilityEntry)),
    exceptions: (spec.exceptions ?? []).map((e: any, i: number) =>
      withScope(e, i, 'exceptions', { ...changedBy('exceptions', i), requirement: e.requirement, ...(e.approvedBy ? { approvedBy: e.approvedBy } : {}), ...(e.owner ? { owner: e.owner } : {}), ...(e.expires ? { expires: String(e.expires) } : {}) } as ExceptionEntry),
    ),
    overrides: (spec.overrides ?? []).map((e: any, i: number) =>
      withScope(e, i, 'overrides', { ...changedBy('overrides', i), requirement: e.requirement, status: e.status, ...(e.by ? { by: e.by } : {}), ...(e.date ? { date: String(e.date) } : {}) } as OverrideEntry),
    ),
  };
}

function defaultConfig(): ConfigSpec {
  return { autoMatch: true, requireSignedEvidence: false, portal: { baseUrl: '/' }, limits: { maxFileBytes: 50 * 1024 * 1024, policyMillis: 1000, maxFiles: 200_000 } };
}

function buildConfig(spec: Record<string, any>, doc: ParsedDocument, diag: Diag): ConfigSpec {
  const d = defaultConfig();
  for (const key of ['allowedSigners', 'keyring'] as const) {
    const value = spec.signers?.[key];
    if (value !== undefined && resolveRootPath(value) === undefined) diag(doc, ['spec', 'signers', key], 'error', 'path-outside-root', `signers.${key} "${value}" leaves the content root.`);
  }
  const period = spec.audit?.period;
  if (period && String(period.start) > String(period.end)) diag(doc, ['spec', 'audit', 'period'], 'error', 'schema-invalid', `The audit period starts (${period.start}) after it ends (${period.end}).`);
  return {
    ...(spec.organization ? { organization: spec.organization } : {}),
    autoMatch: spec.autoMatch !== false,
    requireSignedEvidence: spec.requireSignedEvidence === true,
    ...(spec.signers ? { signers: { ...spec.signers } } : {}),
    ...(period ? { audit: { period: { start: String(period.start), end: String(period.end) } } } : {}),
    portal: { ...(spec.portal?.title ? { title: spec.portal.title } : {}), baseUrl: normaliseBase(spec.portal?.baseUrl ?? '/') },
    limits: { ...d.limits, ...(spec.limits ?? {}) },
  };
}

function normaliseBase(base: string): string {
  return base.endsWith('/') ? base : base + '/';
}

interface Registries {
  frameworks: Record<string, Framework>;
  requirements: Record<string, Requirement>;
  policies: Record<string, CustomPolicy>;
  contracts: Record<string, Contract>;
  projects: Record<string, Project>;
  products: Record<string, Product>;
}

function resolveReferences(r: Registries, report: (d: Diagnostic) => void): void {
  const unresolved = (source: SourceRef, what: string, name: string, known: Iterable<string>, builtin: boolean) => {
    if (builtin) return; // a built-in's references are checked by the catalog tests
    report({ file: source.file, line: source.line, column: source.column, severity: 'error', code: 'unresolved-reference', message: `Unknown ${what} "${name}".${didYouMean(name, known)}` });
  };
  const policyNames = () => [...Object.keys(builtinPolicies), ...Object.keys(r.policies)];
  const policyExists = (ref: string) => ref in r.policies || canonicalPolicyName(ref) !== undefined;
  const checkParams = (ref: string, params: Record<string, unknown>, source: SourceRef, builtin: boolean) => {
    if (builtin) return; // like references: the catalog tests check them
    const custom = r.policies[ref];
    const schema = custom ? custom.parameters : builtinPolicies[canonicalPolicyName(ref) ?? '']?.meta.parameters;
    if (!schema) return;
    const result = resolveParameters(schema, params);
    if (!result.ok) {
      for (const e of result.errors) report({ file: source.file, line: source.line, column: source.column, severity: 'error', code: 'policy-parameters', message: `Parameters of policy "${ref}": ${e.instancePath || 'with'} ${e.message}.` });
    }
  };
  const qualified = (ref: string, source: SourceRef, builtin: boolean) => {
    const [fw, req] = ref.includes('/') ? ref.split('/') : [undefined, ref];
    if (fw !== undefined && !(fw in r.frameworks)) unresolved(source, 'framework', fw, Object.keys(r.frameworks), builtin);
    else if (!(req in r.requirements)) unresolved(source, 'requirement', req, Object.keys(r.requirements), builtin);
    else if (fw !== undefined && !r.frameworks[fw].controls.some((c) => c.requirements.some((x) => x.ref === req))) {
      if (!builtin) report({ file: source.file, line: source.line, column: source.column, severity: 'warning', code: 'unresolved-reference', message: `Requirement "${req}" is not part of framework "${fw}".` });
    }
  };

  for (const fw of Object.values(r.frameworks)) {
    for (const control of fw.controls) for (const ref of control.requirements) if (!(ref.ref in r.requirements)) unresolved(ref.source, 'requirement', ref.ref, Object.keys(r.requirements), fw.builtin);
  }
  for (const req of Object.values(r.requirements)) {
    for (const p of req.policies) {
      if (!policyExists(p.ref)) unresolved(p.source, 'policy', p.ref, policyNames(), req.builtin);
      else checkParams(p.ref, p.with, p.source, req.builtin);
    }
  }
  const entries = [...Object.values(r.contracts).flatMap((c) => c.policies.map((e) => ({ e, builtin: c.builtin }))), ...Object.values(r.projects).flatMap((p) => p.policies.map((e) => ({ e, builtin: p.builtin })))];
  for (const { e, builtin } of entries) {
    if (!policyExists(e.ref)) unresolved(e.source, 'policy', e.ref, policyNames(), builtin);
    else checkParams(e.ref, e.with, e.source, builtin);
    for (const q of e.requirements) qualified(q, e.source, builtin);
  }
  for (const project of Object.values(r.projects)) {
    project.contracts.forEach((c, i) => {
      if (!(c in r.contracts)) unresolved(project.refSources?.[`contracts.${i}`] ?? project.source, 'contract', c, Object.keys(r.contracts), project.builtin);
    });
  }
  for (const product of Object.values(r.products)) {
    product.projects.forEach((p, i) => {
      if (!(p in r.projects)) unresolved(product.refSources?.[`projects.${i}`] ?? product.source, 'project', p, Object.keys(r.projects), product.builtin);
    });
    product.frameworks.forEach((f, i) => {
      if (!(f in r.frameworks)) unresolved(product.refSources?.[`frameworks.${i}`] ?? product.source, 'framework', f, Object.keys(r.frameworks), product.builtin);
    });
    const scoped = [...product.applicability, ...product.exceptions, ...product.overrides];
    for (const e of scoped) {
      for (const p of e.projects ?? []) if (!product.projects.includes(p)) unresolved(e.source, `project of product "${product.metadata.name}"`, p, product.projects, product.builtin);
      if (e.requirement) qualified(e.requirement, e.source, product.builtin);
    }
    for (const e of product.applicability) {
      if (!e.control) continue;
      const slash = e.control.indexOf('/');
      const fw = e.control.slice(0, slash);
      const id = e.control.slice(slash + 1);
      if (!(fw in r.frameworks)) unresolved(e.source, 'framework', fw, Object.keys(r.frameworks), product.builtin);
      else if (!r.frameworks[fw].controls.some((c) => c.id === id)) unresolved(e.source, `control of framework "${fw}"`, id, r.frameworks[fw].controls.map((c) => c.id), product.builtin);
    }
  }
}

function buildProofs(
  markdown: ParsedMarkdown[],
  files: LoadedContent['files'],
  requirements: Record<string, Requirement>,
  projects: Record<string, Project>,
  products: Record<string, Product>,
  shallow: boolean,
  report: (d: Diagnostic) => void,
): Proof[] {
  const proofs: Proof[] = [];
  for (const md of markdown) {
    const fm = md.frontMatter;
    if (!fm) continue;
    const problems = validateAgainstSchema(proofSchema, fm.data, fm, md.file).map((d) => (d.code === 'schema-invalid' ? { ...d, code: 'proof-front-matter' } : d));
    problems.forEach(report);
    if (problems.some((p) => p.severity === 'error')) continue;
    const data = fm.data as Record<string, any>;
    const pos = (path: PathSegment[]) => ({ file: md.file, ...fm.positionOf(path) });
    const err = (path: PathSegment[], code: string, message: string, severity: Diagnostic['severity'] = 'error') => report({ ...pos(path), severity, code, message });
    const requirementRef = String(data.requirement);
    const reqName = requirementRef.includes('/') ? requirementRef.split('/')[1] : requirementRef;
    const requirement = requirements[reqName];
    if (!requirement) err(['requirement'], 'unresolved-reference', `Unknown requirement "${reqName}".${didYouMean(reqName, Object.keys(requirements))}`);
    else if (!requirement.manualProofs.some((m) => m.name === data.proof)) {
      err(['proof'], 'proof-unknown-proof', `Requirement "${reqName}" has no manual proof "${data.proof}".${didYouMean(String(data.proof), requirement.manualProofs.map((m) => m.name))}`);
    }
    if (data.project !== undefined && data.product !== undefined) err(['product'], 'invalid-scope', 'A proof names either a project or a product, not both; the project is used.');
    if (data.project !== undefined && !(data.project in projects)) err(['project'], 'unresolved-reference', `Unknown project "${data.project}".${didYouMean(String(data.project), Object.keys(projects))}`);
    if (data.product !== undefined && data.project === undefined && !(data.product in products)) err(['product'], 'unresolved-reference', `Unknown product "${data.product}".${didYouMean(String(data.product), Object.keys(products))}`);

    let date: string | undefined;
    let dateSource: Proof['dateSource'] = 'front-matter';
    if (data.date !== undefined) {
      date = toInstant(data.date);
    } else if (md.git.added && !md.git.dirty) {
      date = md.git.added.date;
      dateSource = 'commit';
    } else if (md.git.added === undefined && shallow && md.git.last) {
      dateSource = 'unknown';
    } else if (md.mtime) {
      date = md.mtime;
      dateSource = 'mtime';
      err([], 'proof-date-from-mtime', 'The proof has no date and is not committed; its modification time is used.', 'warning');
    } else {
      dateSource = 'unknown';
    }
    const attachments: Proof['attachments'] = [];
    (data.attachments ?? []).forEach((a: string, i: number) => {
      const resolved = resolveInside(md.file, a);
      if (!resolved) return err(['attachments', i], 'path-outside-root', `Attachment "${a}" leaves the content root; it is not attached.`);
      const f = files.get(resolved);
      if (!f) return err(['attachments', i], 'attachment-missing', `Attachment "${a}" does not exist.`);
      attachments.push({ path: resolved, sha256: f.sha256, size: f.size });
    });
    proofs.push({
      file: md.file,
      requirement: reqName,
      proof: String(data.proof),
      ...(data.project !== undefined ? { project: String(data.project) } : data.product !== undefined ? { product: String(data.product) } : {}),
      ...(date ? { date } : {}),
      dateSource,
      result: data.result === 'fail' ? 'fail' : 'pass',
      attachments,
      public: data.public === true,
      confidential: data.confidential === true,
      body: md.body,
      ...(data.title ? { title: String(data.title) } : {}),
      sha256: md.sha256,
      git: md.git,
      source: pos([]),
    });
  }
  return proofs;
}

/** Evidence every project reads (SPEC section 1). */
export function isShared(path: string): boolean {
  return path.startsWith('evidence/_shared/');
}

/** A YAML date (parsed as Date by `yaml` only with the timestamp schema) or a string → ISO instant, UTC when zone-less. */
export function toInstant(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  const text = String(value).trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const iso = m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => cmp(a[0], b[0])));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sets the item's project in place: the loader hands its items over to the
 * model, and copying them would read lazily held payloads (or cost a copy of
 * every property descriptor). Only an item frozen by an earlier model whose
 * owner changed is copied, descriptors and prototype (a lazy payload) included.
 */
function withProject(item: EvidenceItem, project: string | null): EvidenceItem {
  if (item.project === project) return item;
  if (Object.isFrozen(item)) {
    // An item an earlier model holds (`history` shares them across commits) whose folder now has another owner.
    return Object.create(Object.getPrototypeOf(item), { ...Object.getOwnPropertyDescriptors(item), project: { value: project, enumerable: true } });
  }
  item.project = project;
  return item;
}

/**
 * Freezes the model so no stage can change it. The normalised evidence data
 * (`data`, `json`: thousands of components per SBOM) is left as it is: it is
 * read-only by convention, and walking it costs more than the rest together.
 */
function deepFreeze<T>(value: T): T {
  // A frozen object is taken as frozen with everything below it: the model's objects are frozen only here (and
  // policy parameters, deeply, in src/policies/parameters.ts). Asking a WeakSet instead cost a third of the walk. What models share (catalogs, cached readings, commits) is walked once per process.
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k of Object.keys(value)) if (k !== 'data' && k !== 'json') deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/** What each built-in catalog document built (frozen with the first model), and the diagnostics it gave. */
const builtinsBuilt = new WeakMap<ParsedDocument, { diagnostics: Diagnostic[]; registered: { kind: string; resource: Named } | undefined }>();

export type { YamlDocument };
