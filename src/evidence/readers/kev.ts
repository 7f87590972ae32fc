// The CISA Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json).
import type { KevCatalog } from '../types.ts';
import { asArray, compact, get, isObject, readTimestamp, sortedUnique, str, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'kev';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  return !ctx.jsonLines && isObject(doc) && typeof doc.catalogVersion === 'string' && Array.isArray(doc.vulnerabilities);
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const dateReleased = readTimestamp(get(doc, 'dateReleased'), 'dateReleased', problems);
  const kev: KevCatalog = compact({
    version: str(get(doc, 'catalogVersion')),
    dateReleased,
    cves: sortedUnique(asArray(get(doc, 'vulnerabilities')).map((v) => str(get(v, 'cveID'))?.toUpperCase())),
  });
  return compact({ format: 'CISA KEV catalog', data: { kev }, timestamp: dateReleased, problems });
}
