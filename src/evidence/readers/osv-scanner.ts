// osv-scanner JSON (`osv-scanner --format json`): results[].packages[] with the
// OSV records that affect each package, and `groups` of ids that are the same
// vulnerability (GHSA-… and RUSTSEC-… for one flaw). One finding per group.
//
// Severity: the group's `max_severity` (a CVSS score) when present; else the
// highest of the group's records, each from `database_specific.severity` or, failing
// that, its CVSS vectors banded (≥9 CRITICAL, ≥7 HIGH, ≥4 MEDIUM, >0 LOW).
import type { Vulnerability, VulnSeverity } from '../types.ts';
import {
  asArray,
  compact,
  cvssBaseScore,
  error,
  get,
  isObject,
  maxSeverity,
  normalizeSeverity,
  num,
  severityFromScore,
  sortedUnique,
  str,
  type Normalized,
  type Obj,
  type ReaderContext,
} from './common.ts';

export const kind = 'osv-scanner';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc) || !Array.isArray(doc.results)) return false;
  const results = doc.results;
  // A clean run prints {"results": []}: only accept that bare shape (or an osv file name).
  if (results.length === 0) return Object.keys(doc).every((k) => k === 'results' || k === 'experimental_config') || ctx.fileName.includes('osv');
  return results.every((r) => isObject(r) && Array.isArray(r.packages));
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const vulnerabilities: Vulnerability[] = [];
  const sources: string[] = [];
  for (const result of asArray(get(doc, 'results'))) {
    const source = str(get(result, 'source', 'path'));
    if (source) sources.push(source);
    for (const entry of asArray(get(result, 'packages'))) {
      if (!isObject(entry)) continue;
      const pkg = get(entry, 'package');
      const name = str(get(pkg, 'name'));
      const version = str(get(pkg, 'version'));
      const ecosystem = str(get(pkg, 'ecosystem'));
      const records = asArray(entry.vulnerabilities).filter(isObject);
      const byId = new Map(records.map((r) => [str(r.id) ?? '', r]));
      const groups = asArray(entry.groups).filter(isObject);
      const grouped = new Set<string>();
      const units: { ids: string[]; aliases: string[]; maxSeverity?: number }[] = groups.map((g) => {
        const ids = asArray(g.ids).map(str).filter((x): x is string => x !== undefined);
        for (const id of ids) grouped.add(id);
        return { ids, aliases: asArray(g.aliases).map(str).filter((x): x is string => x !== undefined), maxSeverity: num(g.max_severity) };
      });
      // Records no group mentions are findings of their own.
      for (const id of byId.keys()) if (id && !grouped.has(id)) units.push({ ids: [id], aliases: [] });
      for (const unit of units) {
        const id = unit.ids[0];
        if (!id) {
          problems.push(error('evidence-invalid', `An osv-scanner group for ${name ?? 'a package'} has no ids; it is ignored.`));
          continue;
        }
        const members = unit.ids.map((x) => byId.get(x)).filter((r): r is Obj => r !== undefined);
        const aliases = sortedUnique([...unit.ids, ...unit.aliases, ...members.flatMap((r) => asArray(r.aliases).map(str))]).filter((a) => a !== id);
        const { severity, rawSeverity } = groupSeverity(unit.maxSeverity, members);
        const fixed = sortedUnique(
          members.flatMap((r) =>
            asArray(r.affected)
              .filter((a) => name === undefined || str(get(a, 'package', 'name')) === undefined || str(get(a, 'package', 'name')) === name)
              .flatMap((a) => asArray(get(a, 'ranges')).flatMap((range) => asArray(get(range, 'events')).map((e) => str(get(e, 'fixed'))))),
          ),
        );
        vulnerabilities.push(
          compact({
            id,
            aliases,
            severity,
            rawSeverity,
            package: compact({ name, version, purl: purlOf(ecosystem, name, version) }),
            fixedVersions: fixed.length > 0 ? fixed : undefined,
            title: str(byId.get(id)?.summary) ?? str(members[0]?.summary),
          }),
        );
      }
    }
  }
  return {
    format: 'osv-scanner JSON',
    data: { scan: compact({ scanner: 'osv-scanner' as const, target: sources.length === 1 ? sources[0] : undefined, vulnerabilities }) },
    problems,
  };
}

function groupSeverity(maxScore: number | undefined, records: Obj[]): { severity: VulnSeverity; rawSeverity?: string } {
  if (maxScore !== undefined) return { severity: severityFromScore(maxScore), rawSeverity: String(maxScore) };
  let severity: VulnSeverity = 'UNKNOWN';
  let rawSeverity: string | undefined;
  for (const r of records) {
    const word = str(get(r, 'database_specific', 'severity'));
    let s = normalizeSeverity(word);
    let raw = word;
    if (s === 'UNKNOWN') {
      for (const entry of asArray(r.severity)) {
        const score = str(get(entry, 'score'));
        const value = score === undefined ? undefined : num(score) ?? cvssBaseScore(score);
        const banded = severityFromScore(value);
        if (maxSeverity(s, banded) !== s) {
          s = banded;
          raw = value === undefined ? undefined : String(value);
        }
      }
    }
    if (maxSeverity(severity, s) !== severity) {
      severity = s;
      rawSeverity = raw;
    }
  }
  return compact({ severity, rawSeverity });
}

// Package URL types of the OSV ecosystems that map one to one (purl-spec), so
// findings can be matched to VEX products named by purl.
const purlTypes: Record<string, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  Go: 'golang',
  Maven: 'maven',
  RubyGems: 'gem',
  NuGet: 'nuget',
  Packagist: 'composer',
  Pub: 'pub',
  Hex: 'hex',
};

function purlOf(ecosystem: string | undefined, name: string | undefined, version: string | undefined): string | undefined {
  const type = ecosystem ? purlTypes[ecosystem] : undefined;
  if (!type || !name) return undefined;
  let path: string;
  if (type === 'maven') {
    const [group, artifact] = name.split(':');
    if (!group || !artifact) return undefined;
    path = `${encodeURIComponent(group)}/${encodeURIComponent(artifact)}`;
  } else {
    const lowered = type === 'pypi' ? name.toLowerCase().replace(/_/g, '-') : name;
    path = lowered.split('/').map(encodeURIComponent).join('/');
  }
  return `pkg:${type}/${path}${version ? `@${encodeURIComponent(version)}` : ''}`;
}
