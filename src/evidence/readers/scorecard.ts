// OpenSSF Scorecard JSON (`scorecard --format json`, scorecard-action results).
// A check scored -1 is inconclusive; it is kept as -1 for the policy to report.
import type { Scorecard } from '../types.ts';
import { asArray, compact, error, get, isObject, num, readTimestamp, str, type Normalized, type ReaderContext } from './common.ts';

export const kind = 'scorecard';
export const syntaxes = ['json'] as const;

export function detect(doc: unknown, ctx: ReaderContext): boolean {
  if (ctx.jsonLines || !isObject(doc) || !Array.isArray(doc.checks)) return false;
  return isObject(doc.scorecard) || (isObject(doc.repo) && 'score' in doc);
}

export function normalize(doc: unknown, _ctx: ReaderContext): Normalized {
  const problems: Normalized['problems'] = [];
  const score = num(get(doc, 'score'));
  if (score === undefined) problems.push(error('evidence-invalid', 'The Scorecard result has no aggregate score.'));
  const date = readTimestamp(get(doc, 'date'), 'date', problems);
  const checks = asArray(get(doc, 'checks')).flatMap((c) => {
    const name = str(get(c, 'name'));
    const value = num(get(c, 'score'));
    return name && value !== undefined ? [compact({ name, score: value, reason: str(get(c, 'reason')) })] : [];
  });
  const scorecard: Scorecard = compact({ repo: str(get(doc, 'repo', 'name')), date, score: score ?? 0, checks });
  const version = str(get(doc, 'scorecard', 'version'));
  return compact({ format: `OpenSSF Scorecard${version && version !== 'unknown' ? ` ${version}` : ''} JSON`, data: { scorecard }, timestamp: date, problems });
}
