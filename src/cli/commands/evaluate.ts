import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { formatStylish } from '../../diagnostics/format.ts';
import { evaluate as evaluateModel } from '../../evaluate/evaluate.ts';
import { statuses, type Report, type Status } from '../../evaluate/report-types.ts';
import { toJunit } from '../../export/junit.ts';
import { formatScore, toMarkdown } from '../../export/markdown.ts';
import { toResultsCsv } from '../../export/results-csv.ts';
import { loadModel } from '../../load/load-model.ts';
import { defaultCacheDir } from '../../load/evidence-cache.ts';
import { didYouMean } from '../../model/suggest.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { resolveNow } from '../now.ts';
import { table } from '../table.ts';
import { version } from '../version.ts';

export const usage = 'usage: evident evaluate [--content DIR] [--product P] [--format table|json|junit|markdown|csv] [--now ISO] [--at REV] [--fail-on STATUS,...]';

export async function evaluate(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(args, { format: { type: 'string' }, product: { type: 'string', multiple: true }, now: { type: 'string' }, at: { type: 'string' }, 'fail-on': { type: 'string' } }, usage);
  const format = oneOf('format', values.format, ['table', 'json', 'junit', 'markdown', 'csv'], 'table', usage);
  const failOn = parseFailOn(values['fail-on']);
  if (values.now !== undefined) resolveNow(values.now, undefined, io.env, usage); // reject a bad --now before loading
  const { model, at, verdicts } = await loadModel(contentRoot(values, io), { ...(values.at ? { at: values.at } : {}), cacheDir: defaultCacheDir(io.env) });
  const products: string[] | undefined = values.product;
  for (const p of products ?? []) if (!(p in model.products)) throw new UsageError(`--product: unknown product "${p}"; known: ${Object.keys(model.products).join(', ') || 'none'}.${didYouMean(p, Object.keys(model.products))}`, usage);
  const now = resolveNow(values.now, at?.date, io.env, usage);
  const { report, diagnostics } = await evaluateModel(model, { now, version, ...(at ? { commit: { sha: at.sha, date: at.date, dirty: false } } : {}), ...(products ? { products } : {}), ...(verdicts ? { memo: verdicts } : {}) });
  verdicts?.flush();
  const problems = [...model.diagnostics, ...diagnostics];
  if (problems.length) io.stderr(formatStylish(problems));
  switch (format) {
    case 'json':
      io.stdout(JSON.stringify(report, null, 2) + '\n');
      break;
    case 'junit':
      io.stdout(toJunit(report));
      break;
    case 'markdown':
      io.stdout(toMarkdown(report));
      break;
    case 'csv':
      io.stdout(toResultsCsv(report));
      break;
    default:
      io.stdout(formatTable(report));
  }
  const failing = report.products.some((p) => p.results.some((r) => failOn.has(r.status)));
  return failing || hasErrors(model.diagnostics) || hasErrors(diagnostics) ? 1 : 0;
}

function parseFailOn(value: string | undefined): Set<Status> {
  if (!value) return new Set();
  const out = new Set<Status>();
  for (const raw of value.split(',')) {
    const s = raw.trim().toUpperCase();
    if (!(statuses as readonly string[]).includes(s)) throw new UsageError(`--fail-on: unknown status "${raw.trim()}"; accepted: ${statuses.join(', ')}`, usage);
    out.add(s as Status);
  }
  return out;
}

function formatTable(report: Report): string {
  const out: string[] = [`now ${report.now}${report.commit ? `  commit ${report.commit.sha.slice(0, 12)}${report.commit.dirty ? ' (dirty)' : ''}` : ''}\n`];
  for (const p of report.products) {
    out.push(`\n${p.displayName} [${p.name}]${p.version ? ` ${p.version}` : ''}  score ${formatScore(p.score)}\n`);
    out.push(Object.entries(p.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join('  ') + '\n\n');
    out.push(table(['REQUIREMENT', 'PROJECT', 'STATUS', 'PARTS'], p.results.map((r) => [r.requirement, r.project ?? '(product)', r.status + (r.overridden ? ' (override)' : '') + (r.underlying ? ` (was ${r.underlying})` : ''), r.parts.map((x) => `${x.name}=${x.status}${x.match === 'auto' ? '*' : ''}`).join(' ')])));
    if (p.frameworks.length) {
      out.push('\n' + table(['FRAMEWORK', 'SCORE', 'CONTROLS', 'FAILED', 'MISSING', 'PASSED'], p.frameworks.map((f) => [f.name, formatScore(f.score), f.controls.length, f.controls.filter((c) => c.status === 'FAILED').length, f.controls.filter((c) => c.status === 'MISSING').length, f.controls.filter((c) => c.status === 'PASSED' || c.status === 'GRACE').length])));
    }
  }
  out.push('\n* auto-matched part\n');
  return out.join('');
}
