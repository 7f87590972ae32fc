// npm audit JSON: report version 2 (npm 7+, a `vulnerabilities` map by package)
// and version 1 (npm 6, an `advisories` map by advisory id).
//
// In v2, a package's `via` lists advisories (objects) and the packages it
// depends on that are vulnerable (strings). Only the advisories are findings,
// each against the package that carries it: the strings repeat findings that
// are reported at their own package.
import type { Vulnerability } from '../types.ts';
import { asArray, compact, get, isObject, normalizeSeverity, sortedUnique, str, type Normalized, type Obj, type ReaderContext } from './common.ts';

export const kind = 'npm-audit';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc)) return false;
  if (doc.auditReportVersion === 2 && isObject(doc.vulnerabilities)) return true;
  return isObject(doc.advisories) && (Array.isArray(doc.actions) || isObject(doc.metadata));
}

/** The advisory id: the GHSA id in its URL, else npm's numeric id as NPM-<n>. */
function advisoryId(url: string | undefined, numeric: unknown): string | undefined {
  const ghsa = url ? /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(url)?.[0] : undefined;
  if (ghsa) return `GHSA${ghsa.slice(4).toLowerCase()}`;
  const n = str(numeric);
  return n ? `NPM-${n}` : undefined;
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const d = doc as Obj;
  const vulnerabilities: Vulnerability[] = [];
  if (d.auditReportVersion === 2) {
    const seen = new Set<string>();
    for (const [key, entry] of Object.entries(d.vulnerabilities as Obj)) {
      const packageName = str(get(entry, 'name')) ?? key;
      for (const via of asArray(get(entry, 'via'))) {
        if (!isObject(via)) continue;
        const url = str(via.url);
        const id = advisoryId(url, via.source ?? via.id);
        if (!id) continue;
        const name = str(via.name) ?? packageName;
        if (seen.has(`${id}\u0000${name}`)) continue;
        seen.add(`${id}\u0000${name}`);
        const rawSeverity = str(via.severity) ?? str(get(entry, 'severity'));
        vulnerabilities.push(
          compact({
            id,
            aliases: sortedUnique([numericAlias(via.source ?? via.id, id)]),
            severity: normalizeSeverity(rawSeverity),
            rawSeverity,
            package: { name },
            title: str(via.title),
          }),
        );
      }
    }
  } else {
    for (const advisory of Object.values(d.advisories as Obj)) {
      if (!isObject(advisory)) continue;
      const url = str(advisory.url);
      const id = str(advisory.github_advisory_id) ?? advisoryId(url, advisory.id);
      if (!id) continue;
      const rawSeverity = str(advisory.severity);
      const versions = sortedUnique(asArray(advisory.findings).map((f) => str(get(f, 'version'))));
      const patched = str(advisory.patched_versions);
      for (const version of versions.length > 0 ? versions : [undefined]) {
        vulnerabilities.push(
          compact({
            id,
            aliases: sortedUnique([...asArray(advisory.cves).map(str), numericAlias(advisory.id, id)]).filter((a) => a !== id),
            severity: normalizeSeverity(rawSeverity),
            rawSeverity,
            package: compact({ name: str(advisory.module_name), version }),
            fixedVersions: patched && patched !== '<0.0.0' ? [patched] : undefined,
            title: str(advisory.title),
          }),
        );
      }
    }
  }
  return { format: `npm audit JSON (report v${d.auditReportVersion === 2 ? 2 : 1})`, data: { scan: { scanner: 'npm-audit', vulnerabilities } }, problems: [] };
}

function numericAlias(value: unknown, id: string): string | undefined {
  const n = str(value);
  return n && `NPM-${n}` !== id ? `NPM-${n}` : undefined;
}
