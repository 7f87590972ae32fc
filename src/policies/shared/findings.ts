// Vulnerability findings merged across scanners, and VEX resolution. Shared by
// `vulnerabilities`, `cves-in-kev` and `vulnerability-remediation-sla`.
//
// Two findings are the same when they share an id or alias (case-insensitive)
// and name the same package: the same purl ignoring qualifiers and subpath, or,
// when one scanner printed no purl, the same name (`name`, `namespace/name` or
// `namespace:name` of the other's purl) and version.
import type { Vulnerability, VexStatement } from '../../evidence/types.ts';
import type { EvidenceItem } from '../../model/types.ts';
import { compareText, instantMillis, sortedUnique, WeightedMemo } from './common.ts';
import { parsePurl, purlNames, purlsMatch, type Purl } from './purl.ts';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export const severities: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const severityRank: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

const severityWords: Record<string, Severity> = {
  negligible: 'LOW',
  info: 'LOW',
  informational: 'LOW',
  low: 'LOW',
  minor: 'LOW',
  moderate: 'MEDIUM',
  medium: 'MEDIUM',
  high: 'HIGH',
  important: 'HIGH',
  critical: 'CRITICAL',
};

/** The severity a scanner gave, normalised; undefined when it gave none we know. */
export function knownSeverity(v: Pick<Vulnerability, 'severity' | 'rawSeverity'>): Severity | undefined {
  if (v.severity !== 'UNKNOWN' && v.severity in severityRank) return v.severity;
  const word = v.rawSeverity?.trim().toLowerCase();
  return word ? severityWords[word] : undefined;
}

export interface PackageRef {
  name?: string;
  version?: string;
  purl?: string;
}

export interface Finding {
  /** Every id and alias, sorted, as the scanners wrote them. */
  ids: string[];
  /** The id shown: the first CVE id, else the first id. */
  id: string;
  /** The highest severity any scanner gave; undefined when none gave one. */
  severity: Severity | undefined;
  package?: PackageRef;
  fixedVersions: string[];
  scanners: string[];
  /** Scan targets (images, directories) the finding was reported for. */
  targets: string[];
  /** Paths of the evidence files that report it. */
  sources: string[];
}

interface RawFinding {
  v: Vulnerability;
  scanner: string;
  target?: string;
  source: string;
}

function lowerIds(ids: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) if (typeof id === 'string' && id.trim() !== '') out.add(id.trim().toLowerCase());
  return out;
}

type PackageNames = { names: Set<string>; version?: string; purl?: Purl };

/** Per package reference (shared by the copies mergeFindings hands out): comparisons repeat across history points. */
const packageNamesMemo = new WeakMap<PackageRef, PackageNames>();

function packageNames(p: PackageRef | undefined): PackageNames {
  if (!p) return packageNamesUncached(p);
  let names = packageNamesMemo.get(p);
  if (!names) {
    names = packageNamesUncached(p);
    packageNamesMemo.set(p, names);
  }
  return names;
}

function packageNamesUncached(p: PackageRef | undefined): PackageNames {
  const names = new Set<string>();
  const purl = parsePurl(p?.purl);
  if (p?.name) names.add(p.name.toLowerCase());
  if (purl) for (const n of purlNames(purl)) names.add(n);
  return { names, version: p?.version ?? purl?.version, purl };
}

/** Same package: purls when both have one, else names and versions. */
export function packagesMatch(a: PackageRef | undefined, b: PackageRef | undefined): boolean {
  const hasA = a !== undefined && (a.name !== undefined || a.purl !== undefined);
  const hasB = b !== undefined && (b.name !== undefined || b.purl !== undefined);
  if (!hasA || !hasB) return !hasA && !hasB;
  const pa = packageNames(a);
  const pb = packageNames(b);
  if (pa.purl && pb.purl) return purlsMatch(pa.purl, pb.purl);
  if (![...pa.names].some((n) => pb.names.has(n))) return false;
  return pa.version === undefined || pb.version === undefined || pa.version === pb.version;
}

function displayId(ids: string[]): string {
  return ids.find((id) => /^CVE-/i.test(id)) ?? ids[0] ?? 'an unnamed vulnerability';
}

/** "lodash@4.17.20", "pkg:npm/lodash@4.17.20" or "an unnamed package". */
export function packageLabel(p: PackageRef | undefined): string {
  if (p?.name) return p.version ? `${p.name}@${p.version}` : p.name;
  if (p?.purl) return p.purl;
  return 'an unnamed package';
}

/**
 * Merging is pure in the items, and the same sets of items come back many
 * times (vulnerabilities, cves-in-kev and the remediation SLA read the same
 * runs; history points repeat runs), so results are memoised by the items'
 * identities. Bounded by findings held, not sets: a history of many points
 * of few findings each fits, large scans push out old ones. 40,000 covers
 * what one product's projects merge; 150,000 held about 200 MB more at peak
 * at size L for no gain at M.
 */
const mergeMemo = new WeightedMemo<Finding[]>(40_000, (findings) => findings.length + 1);

/** The scan findings of these items, merged across scanners and files. */
export function mergeFindings(items: readonly EvidenceItem[]): Finding[] {
  return sharedMergedFindings(items).map((f) => ({ ...f }));
}

/**
 * The same, as memoised: one array per set of items, shared and read-only, so
 * that indexes built over it (per history point) are reused by every
 * evaluation that reads the same runs.
 */
export function sharedMergedFindings(items: readonly EvidenceItem[]): readonly Finding[] {
  const key = items.map((i) => `${i.path}@${i.blob ?? i.sha256}`).sort().join('|');
  let hit = mergeMemo.get(key);
  if (!hit) {
    hit = mergeFindingsUncached(items);
    mergeMemo.set(key, hit);
  }
  return hit;
}

function mergeFindingsUncached(items: readonly EvidenceItem[]): Finding[] {
  const raw: RawFinding[] = [];
  for (const item of [...items].sort((a, b) => compareText(a.path, b.path))) {
    const scan = item.data.scan;
    if (!scan) continue;
    for (const v of scan.vulnerabilities ?? []) raw.push({ v, scanner: scan.scanner, target: scan.target, source: item.path });
  }
  // Union-find over findings that share an id and a package.
  const parent = raw.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const byId = new Map<string, number[]>();
  raw.forEach((r, i) => {
    for (const id of lowerIds([r.v.id, ...(r.v.aliases ?? [])])) {
      const list = byId.get(id);
      if (list) list.push(i);
      else byId.set(id, [i]);
    }
  });
  for (const list of byId.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = find(list[x]);
        const b = find(list[y]);
        if (a !== b && packagesMatch(raw[list[x]].v.package, raw[list[y]].v.package)) parent[b] = a;
      }
    }
  }
  const groups = new Map<number, RawFinding[]>();
  raw.forEach((r, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(r);
    else groups.set(root, [r]);
  });
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const ids = sortedUnique(group.flatMap((r) => [r.v.id, ...(r.v.aliases ?? [])]).filter((id) => typeof id === 'string' && id.trim() !== '').map((id) => id.trim()));
    let severity: Severity | undefined;
    for (const r of group) {
      const s = knownSeverity(r.v);
      if (s && (severity === undefined || severityRank[s] > severityRank[severity])) severity = s;
    }
    // Prefer the most complete package description (one with a purl).
    const pkgs = group.map((r) => r.v.package).filter((p): p is PackageRef => p !== undefined);
    pkgs.sort((a, b) => Number(b.purl !== undefined) - Number(a.purl !== undefined) || Number(b.version !== undefined) - Number(a.version !== undefined) || compareText(JSON.stringify(a), JSON.stringify(b)));
    const finding: Finding = {
      ids,
      id: displayId(ids),
      severity,
      fixedVersions: sortedUnique(group.flatMap((r) => r.v.fixedVersions ?? [])),
      scanners: sortedUnique(group.map((r) => r.scanner)),
      targets: sortedUnique(group.flatMap((r) => (r.target ? [r.target] : []))),
      sources: sortedUnique(group.map((r) => r.source)),
    };
    if (pkgs[0]) {
      const merged: PackageRef = { ...pkgs[0] };
      for (const p of pkgs) {
        merged.name ??= p.name;
        merged.version ??= p.version;
        merged.purl ??= p.purl;
      }
      finding.package = merged;
    }
    findings.push(finding);
  }
  return findings.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  const sa = a.severity === undefined ? -1 : severityRank[a.severity];
  const sb = b.severity === undefined ? -1 : severityRank[b.severity];
  return sb - sa || compareText(a.id, b.id) || compareText(packageLabel(a.package), packageLabel(b.package));
}

/** Same vulnerability (shared id or alias) in the same package. */
export function sameFinding(a: Finding, b: Finding): boolean {
  const ids = lowerIdsOf(a.ids);
  return b.ids.some((id) => ids.has(id.toLowerCase())) && packagesMatch(a.package, b.package);
}

/** Per ids array (shared by the copies mergeFindings hands out). */
const lowerIdsMemo = new WeakMap<readonly string[], Set<string>>();
function lowerIdsOf(ids: readonly string[]): Set<string> {
  let set = lowerIdsMemo.get(ids);
  if (!set) {
    set = lowerIds(ids);
    lowerIdsMemo.set(ids, set);
  }
  return set;
}

// ---- VEX ----------------------------------------------------------------

const resolvingStatuses = new Set(['not_affected', 'fixed', 'false_positive', 'resolved', 'resolved_with_pedigree']);

export interface VexEntry {
  vulnerability: string;
  ids: Set<string>;
  /** undefined: the statement names no product, so it is about every product. */
  product?: string;
  productPurl?: Purl;
  status: string;
  justification?: string;
  time?: number;
  source: string;
}

export function isResolving(status: string): boolean {
  return resolvingStatuses.has(status);
}

function preferEntry(a: VexEntry, b: VexEntry): VexEntry {
  const ta = a.time ?? Number.NEGATIVE_INFINITY;
  const tb = b.time ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return ta > tb ? a : b;
  // Same time: a statement about the product beats one about every product,
  // then the conservative one (not resolving) wins, then the path decides.
  if ((a.product === undefined) !== (b.product === undefined)) return a.product !== undefined ? a : b;
  if (isResolving(a.status) !== isResolving(b.status)) return isResolving(a.status) ? b : a;
  return compareText(a.source, b.source) <= 0 ? a : b;
}

/**
 * Every VEX statement of these items, one entry per (vulnerability, product);
 * for the same vulnerability and product the newest statement wins (its own
 * timestamp, else its file's).
 */
export function collectVex(items: readonly EvidenceItem[]): VexEntry[] {
  const byKey = new Map<string, VexEntry>();
  for (const item of [...items].sort((a, b) => compareText(a.path, b.path))) {
    for (const s of item.data.vex?.statements ?? []) {
      for (const entry of toEntries(s, item)) {
        const key = `${entry.vulnerability.toLowerCase()}\u0000${entry.product?.toLowerCase() ?? '*'}`;
        const existing = byKey.get(key);
        byKey.set(key, existing ? preferEntry(existing, entry) : entry);
      }
    }
  }
  return [...byKey.values()];
}

function toEntries(s: VexStatement, item: EvidenceItem): VexEntry[] {
  if (!s || typeof s.vulnerability !== 'string') return [];
  const base = {
    vulnerability: s.vulnerability.trim(),
    ids: lowerIds([s.vulnerability, ...(s.aliases ?? [])]),
    status: s.status,
    time: instantMillis(s.timestamp) ?? instantMillis(item.timestamp),
    source: item.path,
  };
  const withJustification = (e: VexEntry) => (s.justification ? { ...e, justification: s.justification } : e);
  const products = (s.products ?? []).filter((p) => typeof p === 'string' && p.trim() !== '');
  if (products.length === 0) return [withJustification({ ...base })];
  return products.map((product) => {
    const e: VexEntry = { ...base, product: product.trim() };
    const purl = parsePurl(product);
    if (purl) e.productPurl = purl;
    return withJustification(e);
  });
}

function imageDigest(text: string): string | undefined {
  return /sha256:[0-9a-f]{64}/i.exec(text)?.[0].toLowerCase();
}

/** Does a statement's product name the finding's package (or the artifact it was found in)? */
export function productMatches(entry: VexEntry, finding: Finding): boolean {
  if (entry.product === undefined) return true;
  const product = entry.product.toLowerCase();
  const pkg = finding.package;
  const pkgPurl = parsePurl(pkg?.purl);
  if (entry.productPurl && pkgPurl && purlsMatch(entry.productPurl, pkgPurl)) return true;
  if (entry.productPurl && !pkgPurl && pkg?.name) {
    // No purl from the scanner: match by name, and version when the product names one.
    const version = pkg.version;
    if (purlNames(entry.productPurl).includes(pkg.name.toLowerCase()) && (entry.productPurl.version === undefined || entry.productPurl.version === version)) return true;
  }
  if (!entry.productPurl && pkg?.name) {
    const label = (pkg.version ? `${pkg.name}@${pkg.version}` : pkg.name).toLowerCase();
    if (product === label || product === pkg.purl?.toLowerCase()) return true;
  }
  // A statement about the scanned artifact (an image, say) covers what was found in it.
  const productDigest = imageDigest(product);
  for (const target of finding.targets) {
    const t = target.toLowerCase();
    if (t === product) return true;
    const targetPurl = parsePurl(target);
    if (targetPurl && entry.productPurl && purlsMatch(targetPurl, entry.productPurl)) return true;
    if (productDigest !== undefined && imageDigest(t) === productDigest) return true;
  }
  return false;
}

/** The statement that decides a finding: the newest applicable one; undefined when none applies. */
export function decidingStatement(finding: Finding, entries: readonly VexEntry[]): VexEntry | undefined {
  const ids = lowerIds(finding.ids);
  let best: VexEntry | undefined;
  for (const e of entries) {
    if (![...e.ids].some((id) => ids.has(id))) continue;
    if (!productMatches(e, finding)) continue;
    best = best ? preferEntry(best, e) : e;
  }
  return best;
}

/** The VEX statements of supporting items and of primary items that carry VEX (a CycloneDX BOM with analysis). */
export function vexItems(input: { primary: readonly EvidenceItem[]; supporting: readonly EvidenceItem[] }): EvidenceItem[] {
  // The facets first: an SBOM without VEX analysis is not read (its payload may be on disk only).
  return [...input.primary, ...input.supporting].filter((item) => item.facets.vex !== undefined && (item.data.vex?.statements?.length ?? 0) > 0);
}

/** Findings split by VEX: open ones and resolved ones (with the statement that resolved them). */
export function applyVex(findings: readonly Finding[], entries: readonly VexEntry[]): { open: Finding[]; resolved: { finding: Finding; statement: VexEntry }[] } {
  const open: Finding[] = [];
  const resolved: { finding: Finding; statement: VexEntry }[] = [];
  for (const f of findings) {
    const statement = decidingStatement(f, entries);
    if (statement && isResolving(statement.status)) resolved.push({ finding: f, statement });
    else open.push(f);
  }
  return { open, resolved };
}
