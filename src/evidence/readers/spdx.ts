// SPDX 2.2/2.3 JSON and SPDX 3.0 JSON-LD. Packages become components (files are
// not components); dependency relationships become `dependencies`.
//
// Licence: the concluded licence when the document concludes one, else the
// declared one (the concluded licence is the SBOM author's finding and wins).
// NOASSERTION and NONE mean "no licence information" here.
import type { Component, Sbom } from '../types.ts';
import {
  asArray,
  compact,
  compareText,
  error,
  get,
  hashMap,
  isObject,
  readTimestamp,
  sortedUnique,
  str,
  warning,
  type Normalized,
  type Obj,
  type ReaderContext,
} from './common.ts';

export const kind = 'spdx';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc)) return false;
  if (typeof doc.spdxVersion === 'string' && doc.spdxVersion.startsWith('SPDX-')) return true;
  return isSpdx3(doc);
}

function isSpdx3(doc: Obj): boolean {
  const context = asArray(doc['@context']);
  return Array.isArray(doc['@graph']) && context.some((c) => typeof c === 'string' && c.startsWith('https://spdx.org/rdf/3.'));
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const d = doc as Obj;
  if (isSpdx3(d)) return normalize3(d);
  const version = str(d.spdxVersion)!.slice('SPDX-'.length);
  if (version !== '2.2' && version !== '2.3') {
    return {
      kind: 'file',
      format: `SPDX ${version} JSON (unsupported)`,
      data: {},
      problems: [warning('evidence-unsupported-format', `SPDX ${version} is not supported (SPDX 2.2, 2.3 and 3.0 are); the file is kept as a plain file.`)],
    };
  }
  return normalize2(d, version);
}

/** "NOASSERTION", "NONE" and empty → undefined. */
function licence(value: unknown): string | undefined {
  const s = str(value);
  return s === undefined || s === 'NOASSERTION' || s === 'NONE' ? undefined : s;
}

/** "Organization: ACT Project (email)" → "ACT Project"; NOASSERTION → undefined. */
function agentName(value: unknown): string | undefined {
  const s = str(value);
  if (s === undefined || s === 'NOASSERTION') return undefined;
  const m = /^(?:Person|Organization|Tool):\s*(.*?)\s*(?:\([^()]*\))?$/.exec(s);
  return (m ? m[1] : s) || undefined;
}

// Relationship types that mean "A depends on / contains B", and their inverses.
const forward2 = new Set(['DEPENDS_ON', 'CONTAINS']);
const inverse2 = new Set([
  'DEPENDENCY_OF',
  'CONTAINED_BY',
  'DEV_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
]);

function normalize2(d: Obj, version: string): Normalized {
  const problems: Normalized['problems'] = [];
  const creationInfo = isObject(d.creationInfo) ? d.creationInfo : {};
  const timestamp = readTimestamp(creationInfo.created, 'creationInfo.created', problems);
  if (d.packages !== undefined && !Array.isArray(d.packages)) problems.push(error('evidence-invalid', 'SPDX "packages" must be an array; it is ignored.'));
  const packages = (Array.isArray(d.packages) ? d.packages : []).filter(isObject);
  const components = packages.map(readPackage2);
  const byId = new Map(components.filter((c) => c.spdxId).map((c) => [c.spdxId!, c]));

  const edges: [string, string][] = [];
  const describes: string[] = asArray(d.documentDescribes).map(str).filter((x): x is string => x !== undefined);
  for (const r of asArray(d.relationships).filter(isObject)) {
    const from = str(r.spdxElementId);
    const type = str(r.relationshipType);
    const to = str(r.relatedSpdxElement);
    if (!from || !type || !to) continue;
    if (forward2.has(type)) edges.push([from, to]);
    else if (inverse2.has(type)) edges.push([to, from]);
    else if (type === 'DESCRIBES' && from === str(d.SPDXID)) describes.push(to);
    else if (type === 'DESCRIBED_BY' && to === str(d.SPDXID)) describes.push(from);
  }

  const creators = asArray(creationInfo.creators).map(str).filter((x): x is string => x !== undefined);
  const sbom: Sbom = compact({
    format: 'spdx' as const,
    specVersion: version,
    timestamp,
    authors: creators.filter((c) => !c.startsWith('Tool:')).map(agentName).filter((x): x is string => x !== undefined),
    tools: creators.filter((c) => c.startsWith('Tool:')).map(agentName).filter((x): x is string => x !== undefined),
    subject: subjectOf(describes, byId, asArray(d.files).filter(isObject)),
    components,
    dependencies: groupEdges(edges),
  });
  return compact({ format: `SPDX ${version} JSON`, data: { sbom }, timestamp, problems });
}

function readPackage2(p: Obj): Component {
  let purl: string | undefined;
  let cpe: string | undefined;
  let swid: string | undefined;
  for (const ref of asArray(p.externalRefs)) {
    const type = str(get(ref, 'referenceType'));
    const locator = str(get(ref, 'referenceLocator'));
    if (!type || !locator) continue;
    if (type === 'purl') purl ??= locator;
    else if (type === 'cpe23Type' || type === 'cpe22Type') cpe ??= locator;
    else if (type === 'swid') swid ??= locator;
  }
  return compact({
    name: str(p.name),
    version: str(p.versionInfo),
    purl,
    cpe,
    swid,
    spdxId: str(p.SPDXID),
    supplier: agentName(p.supplier),
    licenseExpression: licence(p.licenseConcluded) ?? licence(p.licenseDeclared),
    hashes: hashMap(asArray(p.checksums).map((c) => ({ alg: str(get(c, 'algorithm')), value: str(get(c, 'checksumValue')) }))),
  });
}

/** The described element: the first described package, else the first described file. */
function subjectOf(describes: string[], packages: Map<string, Component>, files: Obj[]): Component | undefined {
  for (const id of describes) {
    const c = packages.get(id);
    if (c) return c;
  }
  for (const id of describes) {
    const f = files.find((x) => str(x.SPDXID) === id);
    if (f) {
      return compact({
        name: str(f.fileName),
        spdxId: id,
        licenseExpression: licence(f.licenseConcluded),
        hashes: hashMap(asArray(f.checksums).map((c) => ({ alg: str(get(c, 'algorithm')), value: str(get(c, 'checksumValue')) }))),
      });
    }
  }
  return undefined;
}

/** Edges → one entry per source element, sorted by id; targets in first-seen order. */
function groupEdges(edges: [string, string][]): Sbom['dependencies'] {
  const map = new Map<string, string[]>();
  for (const [from, to] of edges) {
    const list = map.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    map.set(from, list);
  }
  return [...map.entries()].sort(([a], [b]) => compareText(a, b)).map(([ref, dependsOn]) => ({ ref, dependsOn }));
}

// ---------------------------------------------------------------------------
// SPDX 3.0: a JSON-LD @graph of elements that reference each other by spdxId.

const packageTypes = new Set(['software_Package', 'Package', 'software:Package']);
const fileTypes = new Set(['software_File', 'File', 'software:File']);

function normalize3(d: Obj): Normalized {
  const problems: Normalized['problems'] = [];
  const graph = asArray(d['@graph']).filter(isObject);
  const byId = new Map<string, Obj>();
  for (const e of graph) {
    const id = str(e.spdxId) ?? str(e['@id']);
    if (id) byId.set(id, e);
  }
  const resolve = (ref: unknown): Obj | undefined => (isObject(ref) ? ref : typeof ref === 'string' ? byId.get(ref) : undefined);
  const relationships = graph.filter((e) => {
    const type = str(e.type);
    return type === 'Relationship' || type === 'LifecycleScopedRelationship';
  });

  // Licences hang off relationships from the package to a licence element.
  const licences = new Map<string, { concluded?: string; declared?: string }>();
  const edges: [string, string][] = [];
  const describes: string[] = [];
  for (const r of relationships) {
    const from = str(r.from);
    const type = str(r.relationshipType);
    if (!from || !type) continue;
    for (const toRef of asArray(r.to)) {
      const to = str(toRef);
      if (!to) continue;
      if (type === 'dependsOn' || type === 'contains') edges.push([from, to]);
      else if (type === 'describes') describes.push(to);
      else if (type === 'hasConcludedLicense' || type === 'hasDeclaredLicense') {
        const entry = licences.get(from) ?? {};
        const expression = licenceExpression3(resolve(to), to);
        if (type === 'hasConcludedLicense') entry.concluded ??= expression;
        else entry.declared ??= expression;
        licences.set(from, entry);
      }
    }
  }

  const packages = graph.filter((e) => packageTypes.has(str(e.type) ?? ''));
  const components = packages.map((p) => {
    const id = str(p.spdxId) ?? str(p['@id']);
    const lic = id ? licences.get(id) : undefined;
    return readPackage3(p, resolve, lic);
  });
  const byPackageId = new Map(components.filter((c) => c.spdxId).map((c) => [c.spdxId!, c]));

  const document = graph.find((e) => str(e.type) === 'SpdxDocument');
  const creation = resolve(document?.creationInfo) ?? graph.find((e) => str(e.type) === 'CreationInfo');
  const timestamp = readTimestamp(creation?.created, 'creationInfo.created', problems);
  const roots = [...asArray(document?.rootElement).map(str), ...describes].filter((x): x is string => x !== undefined);
  const names = (refs: unknown): string[] => asArray(refs).map((r) => str(resolve(r)?.name)).filter((x): x is string => x !== undefined);
  let subject: Component | undefined;
  for (const id of roots) subject ??= byPackageId.get(id);
  for (const id of roots) {
    const e = byId.get(id);
    if (!subject && e && fileTypes.has(str(e.type) ?? '')) subject = readPackage3(e, resolve, licences.get(id));
  }
  const sbom: Sbom = compact({
    format: 'spdx' as const,
    specVersion: str(creation?.specVersion) ?? '3.0',
    timestamp,
    authors: sortedUnique(names(creation?.createdBy)),
    tools: sortedUnique(names(creation?.createdUsing)),
    subject,
    components,
    dependencies: groupEdges(edges),
  });
  return compact({ format: `SPDX ${sbom.specVersion} JSON-LD`, data: { sbom }, timestamp, problems });
}

function licenceExpression3(element: Obj | undefined, ref: string): string | undefined {
  if (element) {
    const expression = str(element.simplelicensing_licenseExpression) ?? str(element.licenseExpression);
    if (expression) return licence(expression);
  }
  // A listed licence is referenced by its URL; NoAssertion/None are individuals.
  const listed = /^https:\/\/spdx\.org\/licenses\/([^/]+)$/.exec(ref);
  if (listed) return listed[1];
  return undefined;
}

function readPackage3(p: Obj, resolve: (ref: unknown) => Obj | undefined, lic: { concluded?: string; declared?: string } | undefined): Component {
  let cpe: string | undefined;
  let swid: string | undefined;
  let purl = str(p.software_packageUrl) ?? str(p.packageUrl);
  for (const x of asArray(p.externalIdentifier)) {
    const type = str(get(x, 'externalIdentifierType'));
    const id = str(get(x, 'identifier'));
    if (!type || !id) continue;
    if (type === 'packageUrl') purl ??= id;
    else if (type === 'cpe23' || type === 'cpe22') cpe ??= id;
    else if (type === 'swid') swid ??= id;
  }
  return compact({
    name: str(p.name),
    version: str(p.software_packageVersion) ?? str(p.packageVersion),
    purl,
    cpe,
    swid,
    spdxId: str(p.spdxId) ?? str(p['@id']),
    supplier: str(resolve(p.suppliedBy)?.name),
    licenseExpression: lic?.concluded ?? lic?.declared,
    hashes: hashMap(asArray(p.verifiedUsing).map((h) => ({ alg: str(get(h, 'algorithm')), value: str(get(h, 'hashValue')) }))),
  });
}
