import { evaluate as evaluateModel } from '../../evaluate/evaluate.ts';
import type { VerdictMemo } from '../../evaluate/policy-runner.ts';
import { formatScore } from '../../export/markdown.ts';
import { defaultCacheDir } from '../../load/evidence-cache.ts';
import { git, GitSession, openRepo, resolveRevision } from '../../load/git.ts';
import type { VerdictStore } from '../../load/verdict-store.ts';
import { loadCommit } from '../../load/load-model.ts';
import { CommitScores } from '../../load/commit-scores.ts';
import { cacheUsable } from '../../load/load-content.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import { FatalError, UsageError, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { version } from '../version.ts';

export const usage = 'usage: evident history [--content DIR] [--since REV] [--max N] [--format table|json]';

export interface HistoryRow {
  sha: string;
  date: string;
  products: { name: string; score: number | null; frameworks: { name: string; score: number | null }[] }[];
}

/**
 * Each commit that touched the content root, evaluated at its own commit with
 * now = its date. With a cache folder, the scores of each commit are kept
 * there, and a commit whose key (`commitKey`) a run before evaluated is not
 * loaded past its log nor evaluated again (`scores: false` evaluates every commit).
 */
export async function historyRows(root: string, options: { since?: string; until?: string; max: number; cacheDir?: string; scores?: boolean }): Promise<HistoryRow[]> {
  const repo = await openRepo(root);
  if (!repo) throw new FatalError(`history needs a git repository, and ${root} is not inside one.`);
  const tip = options.until ?? 'HEAD';
  let range = tip;
  if (options.since) {
    const since = await resolveRevision(repo, options.since);
    if (!since) throw new FatalError(`--since: unknown revision "${options.since}".${repo.shallow ? ' This is a shallow clone; fetch more history with `git fetch --unshallow`.' : ''}`);
    range = `${since}..${tip}`;
  }
  const out = await git(repo, ['log', `--max-count=${options.max}`, '--format=%H %cI', range, '--', repo.prefix || '.']).catch(() => '');
  const commits = out.trim() ? out.trim().split('\n').map((l) => l.split(' ')) : [];
  const rows: HistoryRow[] = [];
  // Verdicts depend only on what they read: consecutive commits share most of them (and earlier runs' with a cache).
  const local: VerdictMemo = new Map();
  let store: VerdictStore | undefined;
  const session = new GitSession(repo);
  for (const [sha] of commits) session.known.add(sha);
  const scores = options.cacheDir && options.scores !== false && cacheUsable(root, options.cacheDir) ? new CommitScores<HistoryRow['products']>(options.cacheDir) : undefined;
  try {
    for (const [i, [sha, date]] of commits.entries()) {
      const loaded = await loadCommit(root, { at: sha, session, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(scores ? { known: (key: string) => scores.has(key) } : {}) });
      if (i + 1 < commits.length) session.prefetchTree(commits[i + 1][0]); // git lists it while this commit is evaluated
      if ('known' in loaded) {
        rows.push({ sha, date: new Date(date).toISOString(), products: scores!.get(loaded.known)! });
        continue;
      }
      const { model, at, verdicts, key } = loaded;
      if (!store && verdicts) {
        store = verdicts;
        store.rememberKeys = true;
      }
      const { report } = await evaluateModel(model, { now: new Date(at?.date ?? date).toISOString(), version, commit: { sha, date: new Date(date).toISOString(), dirty: false }, memo: store ?? local, timeline: false, controls: false });
      const products = report.products.map((p) => ({ name: p.name, score: p.score, frameworks: p.frameworks.map((f) => ({ name: f.name, score: f.score })) }));
      rows.push({ sha, date: new Date(date).toISOString(), products });
      if (key !== undefined) scores?.set(key, products);
    }
  } finally {
    session.close();
  }
  store?.flush();
  scores?.flush();

  return rows;
}

export async function history(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(args, { since: { type: 'string' }, max: { type: 'string' }, format: { type: 'string' } }, usage);
  const format = oneOf('format', values.format, ['table', 'json'], 'table', usage);
  const max = values.max === undefined ? 50 : Number(values.max);
  if (!Number.isInteger(max) || max < 1) throw new UsageError(`--max must be a positive whole number (got "${values.max}")`, usage);
  const rows = await historyRows(contentRoot(values, io), { ...(values.since ? { since: values.since } : {}), max, ...(defaultCacheDir(io.env) ? { cacheDir: defaultCacheDir(io.env) } : {}) });
  if (format === 'json') {
    io.stdout(JSON.stringify({ history: rows }, null, 2) + '\n');
    return 0;
  }
  const columns = [...new Set(rows.flatMap((r) => r.products.flatMap((p) => [p.name, ...p.frameworks.map((f) => `${p.name}/${f.name}`)])))];
  io.stdout(
    table(
      ['COMMIT', 'DATE', ...columns.map((c) => c.toUpperCase())],
      rows.map((r) => {
        const scores = new Map<string, number | null>();
        for (const p of r.products) {
          scores.set(p.name, p.score);
          for (const f of p.frameworks) scores.set(`${p.name}/${f.name}`, f.score);
        }
        return [r.sha.slice(0, 8), r.date.slice(0, 19) + 'Z', ...columns.map((c) => (scores.has(c) ? formatScore(scores.get(c)!) : '-'))];
      }),
    ),
  );
  return 0;
}
