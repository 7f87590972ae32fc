import { diffReports, type ReportDiff, type Side } from '../../evaluate/diff.ts';
import { evaluate as evaluateModel } from '../../evaluate/evaluate.ts';
import { md } from '../../export/markdown.ts';
import { defaultCacheDir } from '../../load/evidence-cache.ts';
import { loadModel } from '../../load/load-model.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import type { CommandIO } from '../io.ts';
import { resolveNow } from '../now.ts';
import { version } from '../version.ts';

export const usage = 'usage: evident diff <revA> [<revB>] [--content DIR] [--format markdown|json] [--exit-code]';

export async function diff(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' }, 'exit-code': { type: 'boolean' } }, usage, { min: 1, max: 2 });
  const format = oneOf('format', values.format, ['markdown', 'json'], 'markdown', usage);
  const root = contentRoot(values, io);
  const cacheDir = defaultCacheDir(io.env);
  const side = async (rev: string | undefined) => {
    const { model, at, verdicts } = await loadModel(root, { ...(rev ? { at: rev } : {}), cacheDir });
    const now = resolveNow(undefined, at?.date, io.env, usage);
    const commit = at ? { sha: at.sha, date: at.date, dirty: false } : undefined;
    const { report } = await evaluateModel(model, { now, version, ...(commit ? { commit } : {}), ...(verdicts ? { memo: verdicts } : {}) });
    verdicts?.flush();
    const s: Side = { rev: rev ?? 'working tree', commit: at?.sha ?? null, now };
    return { side: s, report, model };
  };
  const a = await side(positionals[0]);
  const b = await side(positionals[1]);
  const result = diffReports(a, b);
  io.stdout(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : diffMarkdown(result));
  return values['exit-code'] && result.changes.length ? 1 : 0;
}

export function diffMarkdown(d: ReportDiff): string {
  const side = (s: Side) => `${md(s.rev)}${s.commit ? ` (\`${s.commit.slice(0, 12)}\`)` : ''}, now ${s.now}`;
  const out = ['## Compliance changes', '', `From ${side(d.a)}`, `to ${side(d.b)}.`, ''];
  if (!d.changes.length) return out.concat('No result changed status.', '').join('\n');
  out.push('| Product | Requirement | Project | Was | Now | Evidence that changed |', '|---|---|---|---|---|---|');
  for (const c of d.changes) {
    const evidence = c.evidence.map((e) => `${md(e.path)} ${e.from === null ? '(added)' : e.to === null ? '(removed)' : '(changed)'}`).join('<br>') || '—';
    out.push(`| ${md(c.product)} | ${md(c.requirement)} | ${md(c.project ?? '(product)')} | ${c.from ?? '—'} | ${c.to ?? '—'} | ${evidence} |`);
  }
  return out.join('\n') + '\n';
}
