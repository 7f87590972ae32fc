// CycloneDX 1.2–1.6, JSON and XML. One document can be an SBOM, a vulnerability
// scan (components plus a `vulnerabilities` array) and VEX (vulnerabilities with
// an `analysis`) at once. A document whose vulnerabilities carry an analysis and
// that lists no components is VEX only (SPEC §7). A newer spec version (1.7) is
// kept as `file` with a warning (SPEC §7), an older one (1.0, 1.1) likewise.
//
// The XML form is first mapped onto the JSON shape (fromXml), so one normaliser
// reads both.
import type { Component, Sbom, Vex, VexStatement, VexStatus, Vulnerability, VulnSeverity } from '../types.ts';
import {
  asArray,
  compact,
  error,
  get,
  hashMap,
  isObject,
  maxSeverity,
  normalizeSeverity,
  num,
  readTimestamp,
  severityFromScore,
  sortedUnique,
  str,
  warning,
  type Normalized,
  type Obj,
  type ReaderContext,
} from './common.ts';

export const kind = 'cyclonedx';
export const syntaxes = ['json', 'xml'] as const;

const xmlNamespace = 'http://cyclonedx.org/schema/bom/';
export const supportedVersions = ['1.2', '1.3', '1.4', '1.5', '1.6'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.syntax === 'json') return !ctx.jsonLines && isObject(doc) && doc.bomFormat === 'CycloneDX';
  return ctx.xmlRoot?.localName === 'bom' && (ctx.xmlRoot.namespace ?? '').startsWith(xmlNamespace);
}

export function specVersionOf(doc: unknown, ctx: ReaderContext): string | undefined {
  if (ctx.syntax === 'json') return str(get(doc, 'specVersion'));
  return ctx.xmlRoot?.namespace?.slice(xmlNamespace.length) || undefined;
}

export function normalize(doc: unknown, ctx: ReaderContext): Normalized {
  const syntax = ctx.syntax === 'json' ? 'JSON' : 'XML';
  const version = specVersionOf(doc, ctx);
  if (version === undefined || !/^\d+\.\d+$/.test(version)) {
    return {
      kind: 'file',
      format: `CycloneDX ${syntax}`,
      data: {},
      problems: [error('evidence-invalid', `The CycloneDX document has no valid spec version (${ctx.syntax === 'json' ? 'specVersion' : 'XML namespace'}); it is kept as a plain file.`)],
    };
  }
  if (!(supportedVersions as readonly string[]).includes(version)) {
    const newer = compareVersions(version, supportedVersions[supportedVersions.length - 1]!) > 0;
    return {
      kind: 'file',
      format: `CycloneDX ${version} ${syntax} (unsupported)`,
      data: {},
      problems: [
        warning(
          'evidence-unsupported-format',
          `CycloneDX ${version} is ${newer ? 'newer' : 'older'} than the supported spec versions ${supportedVersions[0]}–${supportedVersions[supportedVersions.length - 1]}; the file is kept as a plain file.`,
          { hint: newer ? 'Generate the SBOM as CycloneDX 1.6 (most tools have a --spec-version option), or upgrade evident.' : 'Regenerate the SBOM as CycloneDX 1.4 or newer.' },
        ),
      ],
    };
  }
  const root = ctx.syntax === 'xml' ? fromXml(get(doc, ctx.xmlRoot!.localName)) : (doc as Obj);
  return normalizeBom(root, version, syntax);
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

/** Reads a list field, reporting a value of the wrong type instead of failing on it. */
function listField(bom: Obj, field: string, problems: Normalized['problems']): unknown[] {
  const value = bom[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(error('evidence-invalid', `CycloneDX "${field}" must be an array; it is ignored.`));
    return [];
  }
  return value;
}

function normalizeBom(bom: Obj, specVersion: string, syntax: string): Normalized {
  const problems: Normalized['problems'] = [];
  const metadata = isObject(bom.metadata) ? bom.metadata : {};
  const timestamp = readTimestamp(metadata.timestamp, 'metadata.timestamp', problems);

  const components: Component[] = [];
  const byRef = new Map<string, Component>();
  const walk = (list: unknown[]): void => {
    for (const raw of list) {
      if (!isObject(raw)) continue;
      const c = readComponent(raw);
      components.push(c);
      if (c.bomRef && !byRef.has(c.bomRef)) byRef.set(c.bomRef, c);
      walk(asArray(raw.components));
    }
  };
  walk(listField(bom, 'components', problems));
  const subject = isObject(metadata.component) ? readComponent(metadata.component) : undefined;
  if (subject?.bomRef && !byRef.has(subject.bomRef)) byRef.set(subject.bomRef, subject);

  const dependencies = listField(bom, 'dependencies', problems)
    .filter(isObject)
    .flatMap((d) => {
      const ref = str(d.ref);
      return ref ? [{ ref, dependsOn: asArray(d.dependsOn).map(str).filter((x): x is string => x !== undefined) }] : [];
    });

  const hasVulnerabilities = bom.vulnerabilities !== undefined;
  const vulnerabilities = listField(bom, 'vulnerabilities', problems).filter(isObject);
  const hasComponents = components.length > 0;
  const vexOnly = !hasComponents && vulnerabilities.some((v) => v.analysis !== undefined);

  const scanEntries: Vulnerability[] = [];
  const statements: VexStatement[] = [];
  for (const v of vulnerabilities) {
    const id = str(v.id);
    if (!id) {
      problems.push(warning('evidence-invalid', 'A CycloneDX vulnerability has no id; it is ignored.'));
      continue;
    }
    const aliases = sortedUnique(asArray(v.references).map((r) => str(get(r, 'id')))).filter((a) => a !== id);
    const refs = asArray(v.affects).map((a) => str(get(a, 'ref'))).filter((r): r is string => r !== undefined);
    const { severity, rawSeverity } = ratingSeverity(asArray(v.ratings));
    const title = str(v.description)?.split('\n')[0];
    const packages = refs.map((ref) => packageOf(ref, byRef));
    for (const pkg of packages.length > 0 ? packages : [undefined]) {
      scanEntries.push(compact({ id, aliases, severity, rawSeverity, package: pkg, title }));
    }
    if (isObject(v.analysis)) {
      const statement = readAnalysis(v.analysis, id, aliases, packages, timestamp, problems);
      if (statement) statements.push(statement);
    }
  }

  const data: Normalized['data'] = {};
  // A BOM without components is still an (empty) SBOM unless it only carries vulnerabilities.
  if (hasComponents || vulnerabilities.length === 0) {
    const sbom: Sbom = compact({
      format: 'cyclonedx' as const,
      specVersion,
      timestamp,
      authors: readAuthors(metadata),
      tools: readTools(metadata.tools),
      subject,
      components,
      dependencies,
    });
    data.sbom = sbom;
  }
  if (hasComponents && hasVulnerabilities) {
    const target = subject ? [subject.name, subject.version].filter(Boolean).join('@') || undefined : undefined;
    data.scan = compact({ scanner: 'cyclonedx' as const, target, vulnerabilities: scanEntries });
  }
  if (statements.length > 0) {
    const vex: Vex = { statements };
    data.vex = vex;
  }
  return compact({ format: `CycloneDX ${specVersion} ${syntax}${vexOnly ? ' (VEX)' : ''}`, data, timestamp, problems });
}

function readComponent(c: Obj): Component {
  const name = str(c.name);
  const group = str(c.group);
  const { licenseExpression, licenseNames } = readLicenses(asArray(c.licenses));
  return compact({
    // The group is part of the package's identity (@angular/core, org.apache/x);
    // it is joined the purl way, namespace/name.
    name: group && name ? `${group}/${name}` : name,
    version: str(c.version),
    purl: str(c.purl),
    cpe: str(c.cpe),
    swid: str(get(c, 'swid', 'tagId')),
    bomRef: str(c['bom-ref']),
    supplier: readSupplier(c),
    licenseExpression,
    licenseNames,
    hashes: hashMap(asArray(c.hashes).map((h) => ({ alg: str(get(h, 'alg')), value: str(get(h, 'content')) }))),
  });
}

/**
 * NTIA's "supplier name" is the entity that supplies the component. CycloneDX
 * says so in `supplier`; 1.6's `manufacturer` (the entity that made it) and the
 * `publisher` name the same kind of entity, so they count when `supplier` is
 * absent. `author`/`authors` do not: they name the people who wrote the code,
 * and taking them would let most npm SBOMs pass a supplier check by accident.
 */
function readSupplier(c: Obj): string | undefined {
  return str(get(c, 'supplier', 'name')) ?? str(get(c, 'manufacturer', 'name')) ?? str(c.publisher);
}

/**
 * CycloneDX licences → one SPDX expression. A `license.id` is an SPDX id, an
 * `expression` is an SPDX expression; several entries all apply, so they are
 * ANDed (a compound part is parenthesised). A `license.name` is free text: it
 * is kept in licenseNames, never guessed into an id.
 */
export function readLicenses(entries: unknown[]): { licenseExpression?: string; licenseNames?: string[] } {
  const parts: string[] = [];
  const names: string[] = [];
  for (const entry of entries) {
    const expression = str(get(entry, 'expression'));
    if (expression) {
      parts.push(expression);
      continue;
    }
    const id = str(get(entry, 'license', 'id'));
    if (id) {
      parts.push(id);
      continue;
    }
    const name = str(get(entry, 'license', 'name'));
    if (name) names.push(name);
  }
  const unique = [...new Set(parts)];
  const licenseExpression =
    unique.length === 0 ? undefined : unique.length === 1 ? unique[0] : unique.map((p) => (isCompound(p) ? `(${p})` : p)).join(' AND ');
  return compact({ licenseExpression, licenseNames: names.length > 0 ? [...new Set(names)] : undefined });
}

function isCompound(expression: string): boolean {
  if (!/\s(AND|OR)\s/i.test(expression)) return false;
  // Already wrapped as a whole: "(A OR B)".
  if (expression.startsWith('(') && expression.endsWith(')')) {
    let depth = 0;
    for (let i = 0; i < expression.length; i++) {
      if (expression[i] === '(') depth++;
      else if (expression[i] === ')' && --depth === 0 && i < expression.length - 1) return true;
    }
    return false;
  }
  return true;
}

function readAuthors(metadata: Obj): string[] {
  return asArray(metadata.authors)
    .map((a) => str(get(a, 'name')) ?? str(get(a, 'email')))
    .filter((a): a is string => a !== undefined);
}

/** Tools as "vendor/name@version": the 1.4 array, or 1.5's {components, services}. */
function readTools(tools: unknown): string[] {
  const list = Array.isArray(tools) ? tools : [...asArray(get(tools, 'components')), ...asArray(get(tools, 'services'))];
  return list.filter(isObject).flatMap((t) => {
    const name = str(t.name);
    if (!name) return [];
    const vendor = str(t.vendor) ?? str(t.group) ?? str(get(t, 'provider', 'name'));
    const version = str(t.version);
    return [`${vendor ? `${vendor}/` : ''}${name}${version ? `@${version}` : ''}`];
  });
}

/** The highest rating wins; a rating without a severity word is banded by its score. */
function ratingSeverity(ratings: unknown[]): { severity: VulnSeverity; rawSeverity?: string } {
  let severity: VulnSeverity = 'UNKNOWN';
  let rawSeverity: string | undefined;
  for (const r of ratings) {
    const word = str(get(r, 'severity'));
    let s = normalizeSeverity(word);
    if (s === 'UNKNOWN') s = severityFromScore(num(get(r, 'score')));
    if (maxSeverity(severity, s) !== severity || (severity === 'UNKNOWN' && rawSeverity === undefined)) rawSeverity = word;
    severity = maxSeverity(severity, s);
  }
  return compact({ severity, rawSeverity });
}

/**
 * An `affects` ref names a component by bom-ref, possibly as a BOM-Link
 * (`urn:cdx:<serial>/<version>#<bom-ref>`) into another document. The purl of
 * the component when it is in this document, else the bom-ref when that is a
 * purl, else the ref as written.
 */
function packageOf(ref: string, byRef: Map<string, Component>): Vulnerability['package'] {
  let local = ref;
  if (ref.startsWith('urn:cdx:') && ref.includes('#')) {
    const fragment = ref.slice(ref.indexOf('#') + 1);
    try {
      local = decodeURIComponent(fragment);
    } catch {
      local = fragment;
    }
  }
  const c = byRef.get(ref) ?? byRef.get(local);
  if (c) return compact({ name: c.name, version: c.version, purl: c.purl ?? (local.startsWith('pkg:') ? local : undefined) });
  return local.startsWith('pkg:') ? { purl: local } : compact({ name: local });
}

const analysisStates: Record<string, { status: VexStatus; justification?: string }> = {
  resolved: { status: 'fixed' },
  resolved_with_pedigree: { status: 'fixed' },
  not_affected: { status: 'not_affected' },
  // SPEC §4 counts a false positive as resolving; the model has no such status.
  false_positive: { status: 'not_affected', justification: 'false_positive' },
  exploitable: { status: 'affected' },
  in_triage: { status: 'under_investigation' },
};

function readAnalysis(
  analysis: Obj,
  id: string,
  aliases: string[],
  packages: Vulnerability['package'][],
  documentTime: string | undefined,
  problems: Normalized['problems'],
): VexStatement | undefined {
  const state = str(analysis.state);
  if (!state) return undefined;
  const mapped = analysisStates[state];
  if (!mapped) {
    problems.push(warning('evidence-invalid', `Unknown CycloneDX analysis state "${state}" for ${id}; the statement is ignored.`));
    return undefined;
  }
  return compact({
    vulnerability: id,
    aliases,
    products: sortedUnique(packages.map((p) => p?.purl ?? p?.name)),
    status: mapped.status,
    justification: str(analysis.justification) ?? mapped.justification,
    timestamp: readTimestamp(analysis.lastUpdated, `The analysis time of ${id}`, problems) ?? readTimestamp(analysis.firstIssued, `The analysis time of ${id}`, problems) ?? documentTime,
  });
}

// ---------------------------------------------------------------------------
// XML → the JSON shape (only the fields normalizeBom reads).

function xmlComponent(c: unknown): Obj {
  return compact({
    'bom-ref': str(get(c, '@bom-ref')),
    group: str(get(c, 'group')),
    name: str(get(c, 'name')),
    version: str(get(c, 'version')),
    purl: str(get(c, 'purl')),
    cpe: str(get(c, 'cpe')),
    swid: isObject(get(c, 'swid')) ? { tagId: str(get(c, 'swid', '@tagId')) } : undefined,
    supplier: { name: str(get(c, 'supplier', 'name')) },
    manufacturer: { name: str(get(c, 'manufacturer', 'name')) },
    publisher: str(get(c, 'publisher')),
    hashes: asArray(get(c, 'hashes', 'hash')).map((h) => ({ alg: str(get(h, '@alg')), content: str(h) })),
    licenses: xmlLicenses(get(c, 'licenses')),
    components: asArray(get(c, 'components', 'component')),
  });
}

function xmlLicenses(licenses: unknown): unknown[] {
  return [
    ...asArray(get(licenses, 'license')).map((l) => ({ license: { id: str(get(l, 'id')), name: str(get(l, 'name')) } })),
    ...asArray(get(licenses, 'expression')).map((e) => ({ expression: str(e) })),
  ];
}

function fromXml(bom: unknown): Obj {
  const metadata = get(bom, 'metadata');
  const tools = get(metadata, 'tools');
  const mapComponents = (list: unknown[]): Obj[] =>
    list.map((c) => {
      const mapped = xmlComponent(c);
      mapped.components = mapComponents(asArray(mapped.components));
      return mapped;
    });
  return compact({
    metadata: isObject(metadata)
      ? compact({
          timestamp: str(get(metadata, 'timestamp')),
          authors: asArray(get(metadata, 'authors', 'author')).map((a) => ({ name: str(get(a, 'name')), email: str(get(a, 'email')) })),
          tools: get(tools, 'tool') !== undefined
            ? asArray(get(tools, 'tool')).map((t) => ({ vendor: str(get(t, 'vendor')), name: str(get(t, 'name')), version: str(get(t, 'version')) }))
            : {
                components: asArray(get(tools, 'components', 'component')).map(xmlComponent),
                services: asArray(get(tools, 'services', 'service')).map((s) => ({ group: str(get(s, 'group')), name: str(get(s, 'name')), version: str(get(s, 'version')) })),
              },
          component: isObject(get(metadata, 'component')) ? xmlComponent(get(metadata, 'component')) : undefined,
        })
      : undefined,
    components: get(bom, 'components') !== undefined ? mapComponents(asArray(get(bom, 'components', 'component'))) : undefined,
    dependencies: get(bom, 'dependencies') !== undefined
      ? asArray(get(bom, 'dependencies', 'dependency')).map((d) => ({ ref: str(get(d, '@ref')), dependsOn: asArray(get(d, 'dependency')).map((x) => str(get(x, '@ref'))) }))
      : undefined,
    vulnerabilities: get(bom, 'vulnerabilities') !== undefined
      ? asArray(get(bom, 'vulnerabilities', 'vulnerability')).map((v) =>
          compact({
            id: str(get(v, 'id')),
            description: str(get(v, 'description')),
            references: asArray(get(v, 'references', 'reference')).map((r) => ({ id: str(get(r, 'id')) })),
            ratings: asArray(get(v, 'ratings', 'rating')).map((r) => ({ severity: str(get(r, 'severity')), score: str(get(r, 'score')) })),
            analysis: isObject(get(v, 'analysis'))
              ? compact({
                  state: str(get(v, 'analysis', 'state')),
                  justification: str(get(v, 'analysis', 'justification')),
                  firstIssued: str(get(v, 'analysis', 'firstIssued')),
                  lastUpdated: str(get(v, 'analysis', 'lastUpdated')),
                })
              : undefined,
            affects: asArray(get(v, 'affects', 'target')).map((t) => ({ ref: str(get(t, 'ref')) })),
          }),
        )
      : undefined,
  });
}
