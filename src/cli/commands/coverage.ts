import { coverageOf } from '../../evaluate/coverage.ts';
import { loadModel } from '../../load/load-model.ts';
import { didYouMean } from '../../model/suggest.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { reportProblems } from './catalog.ts';

export const usage = 'usage: evident coverage <requirement> [--format table|json] [--content DIR]';

export async function coverage(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string' } }, usage, { min: 1, max: 1 });
  const format = oneOf('format', values.format, ['table', 'json'], 'table', usage);
  const { model } = await loadModel(contentRoot(values, io));
  reportProblems(model.diagnostics, io);
  const name = positionals[0].includes('/') ? positionals[0].split('/')[1] : positionals[0];
  const requirement = model.requirements[name];
  if (!requirement) throw new UsageError(`unknown requirement "${name}".${didYouMean(name, Object.keys(model.requirements))}`, usage);
  const rows = coverageOf(model, requirement);
  if (format === 'json') {
    io.stdout(JSON.stringify({ requirement: name, projects: rows }, null, 2) + '\n');
    return 0;
  }
  io.stdout(
    table(
      ['PROJECT', 'COVERAGE', 'POLICIES'],
      rows.map((r) => [r.project, r.coverage, r.policies.map((p) => `${p.policy}:${p.match ?? (p.mismatches.length ? `mismatch ${p.mismatches.map((m) => JSON.stringify(m.with)).join(' ')}` : 'none')}`).join('  ')]),
    ),
  );
  return 0;
}
