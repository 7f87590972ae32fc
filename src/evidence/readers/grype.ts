// Grype JSON (`grype -o json`): one finding per match of a vulnerability to a package.
import type { Vulnerability } from '../types.ts';
import { asArray, compact, error, get, isObject, normalizeSeverity, readTimestamp, sortedUnique, str, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'grype';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc) || !Array.isArray(doc.matches)) return false;
  return str(get(doc, 'descriptor', 'name')) === 'grype' || (isObject(doc.source) && 'distro' in doc);
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const vulnerabilities: Vulnerability[] = [];
  for (const m of asArray(get(doc, 'matches'))) {
    const v = get(m, 'vulnerability');
    const id = str(get(v, 'id'));
    if (!id) {
      problems.push(error('evidence-invalid', 'A Grype match has no vulnerability id; it is ignored.'));
      continue;
    }
    const artifact = get(m, 'artifact');
    const rawSeverity = str(get(v, 'severity'));
    const fixState = str(get(v, 'fix', 'state'));
    const fixed = asArray(get(v, 'fix', 'versions')).map(str).filter((x): x is string => x !== undefined);
    vulnerabilities.push(
      compact({
        id,
        aliases: sortedUnique(asArray(get(m, 'relatedVulnerabilities')).map((r) => str(get(r, 'id')))).filter((a) => a !== id),
        severity: normalizeSeverity(rawSeverity),
        rawSeverity,
        package: compact({ name: str(get(artifact, 'name')), version: str(get(artifact, 'version')), purl: str(get(artifact, 'purl')) }),
        fixedVersions: fixState === 'fixed' && fixed.length > 0 ? fixed : undefined,
        title: str(get(v, 'description'))?.split('\n')[0],
      }),
    );
  }
  const target = get(doc, 'source', 'target');
  const timestamp = readTimestamp(get(doc, 'descriptor', 'timestamp'), 'descriptor.timestamp', problems);
  return compact({
    format: 'Grype JSON',
    data: { scan: compact({ scanner: 'grype' as const, target: typeof target === 'string' ? target : str(get(target, 'userInput')), vulnerabilities }) },
    timestamp,
    problems,
  });
}
