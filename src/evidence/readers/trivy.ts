// Trivy JSON, SchemaVersion 2 (`trivy image -f json`): Results[].Vulnerabilities.
// Misconfigurations, secrets and licences in the same report are not vulnerabilities
// and are not read.
import type { Vulnerability } from '../types.ts';
import { asArray, compact, error, get, isObject, normalizeSeverity, readTimestamp, sortedUnique, str, warning, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'trivy';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc)) return false;
  return typeof doc.SchemaVersion === 'number' && (Array.isArray(doc.Results) || typeof doc.ArtifactName === 'string');
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const schemaVersion = get(doc, 'SchemaVersion');
  if (schemaVersion !== 2) {
    return {
      kind: 'file',
      format: `Trivy JSON (SchemaVersion ${String(schemaVersion)}, unsupported)`,
      data: {},
      problems: [warning('evidence-unsupported-format', `Trivy JSON SchemaVersion ${String(schemaVersion)} is not supported (SchemaVersion 2 is); the file is kept as a plain file.`)],
    };
  }
  const results = get(doc, 'Results');
  if (results !== undefined && !Array.isArray(results)) problems.push(error('evidence-invalid', 'Trivy "Results" must be an array; it is ignored.'));
  const vulnerabilities: Vulnerability[] = [];
  for (const result of Array.isArray(results) ? results : []) {
    for (const v of asArray(get(result, 'Vulnerabilities'))) {
      const id = str(get(v, 'VulnerabilityID'));
      if (!id) continue;
      const rawSeverity = str(get(v, 'Severity'));
      const fixed = str(get(v, 'FixedVersion'));
      vulnerabilities.push(
        compact({
          id,
          aliases: sortedUnique(asArray(get(v, 'VendorIDs')).map(str)).filter((a) => a !== id),
          severity: normalizeSeverity(rawSeverity),
          rawSeverity,
          package: compact({ name: str(get(v, 'PkgName')), version: str(get(v, 'InstalledVersion')), purl: str(get(v, 'PkgIdentifier', 'PURL')) }),
          fixedVersions: fixed ? fixed.split(',').map((x) => x.trim()).filter((x) => x !== '') : undefined,
          title: str(get(v, 'Title')),
        }),
      );
    }
  }
  const timestamp = readTimestamp(get(doc, 'CreatedAt'), 'CreatedAt', problems);
  return compact({
    format: 'Trivy JSON',
    data: { scan: compact({ scanner: 'trivy' as const, target: str(get(doc, 'ArtifactName')), vulnerabilities }) },
    timestamp,
    problems,
  });
}
