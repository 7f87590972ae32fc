// gitleaks JSON report: an array of findings. A clean report is `[]`, which says
// nothing about its origin, so it counts as gitleaks only when the file name
// says so (SPEC §7).
import { asArray, compact, get, isObject, num, str, type Normalized, type ReaderContext } from './common.ts';
import type { SecretsReport } from '../types.ts';

export const kind = 'gitleaks';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !Array.isArray(doc)) return false;
  if (doc.length === 0) return ctx.fileName.includes('gitleaks');
  return doc.every((f) => isObject(f) && typeof f.RuleID === 'string');
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const findings: SecretsReport['findings'] = asArray(doc).map((f) =>
    compact({
      ruleId: str(get(f, 'RuleID')) ?? '',
      file: str(get(f, 'File')),
      line: num(get(f, 'StartLine')),
      commit: str(get(f, 'Commit')),
      description: str(get(f, 'Description')),
    }),
  );
  return { format: 'gitleaks JSON', data: { secrets: { findings } }, problems: [] };
}
