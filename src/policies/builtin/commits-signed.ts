// commits-signed: every commit of the content repo in the window is signed.
import type { BuiltinPolicy, PolicyInput, PolicyVerdict } from '../types.ts';
import { compareText, equalParameters, instantMillis, plural, skipped, verdict } from '../shared/common.ts';
import { parsePeriodicity, periodicityPattern, subtractPeriod } from '../periodicity.ts';

export interface CommitsSignedParams {
  since?: string;
}

const statusWords: Record<string, string> = {
  B: 'bad signature',
  X: 'good signature that has expired',
  Y: 'good signature made by an expired key',
  R: 'good signature made by a revoked key',
  E: 'signature cannot be checked (missing key)',
  N: 'no signature',
};

function evaluate(input: PolicyInput, params: CommitsSignedParams): PolicyVerdict {
  if (input.commits.length === 0) return skipped('No commits to read: the content root is not in a git work tree, or has no history.');
  let from: number | undefined;
  let window = 'all commits';
  if (params.since !== undefined) {
    const p = parsePeriodicity(params.since);
    if (!p) return { status: 'FAILED', violations: [`since "${params.since}" is not a periodicity (daily, monthly, P90D, …)`] };
    const start = subtractPeriod(input.at, p);
    from = instantMillis(start);
    window = `commits after ${start}`;
  }
  const inWindow = input.commits
    .filter((c) => {
      const t = instantMillis(c.date);
      return from === undefined || (t !== undefined && t > from);
    })
    .sort((a, b) => (instantMillis(a.date) ?? 0) - (instantMillis(b.date) ?? 0) || compareText(a.sha, b.sha));
  const violations: string[] = [];
  for (const c of inWindow) {
    if (c.signature.signed) continue;
    const why = c.signature.reason?.trim() || statusWords[c.signature.status] || `signature status ${c.signature.status}`;
    violations.push(`commit ${c.sha.slice(0, 7)} by ${c.author} on ${c.date} is not signed: ${why}`);
  }
  return { ...verdict(violations, `${plural(inWindow.length, 'commit')} checked (${window})`), violations };
}

export const policy: BuiltinPolicy<CommitsSignedParams> = {
  meta: {
    name: 'commits-signed',
    title: 'Commits are signed',
    description: 'Fails when a commit of the content repository in the window (`since`, a periodicity such as P90D or monthly, back from the evaluation time; default all) has no good signature. SKIPPED without git history.',
    primary: [],
    readsGitLog: true,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: {
        since: { type: 'string', pattern: periodicityPattern, description: 'Only commits newer than this period before the evaluation time.' },
      },
    },
    compatible: equalParameters,
  },
  evaluate,
};
