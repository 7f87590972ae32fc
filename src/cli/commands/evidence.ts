import { loadModel } from '../../load/load-model.ts';
import { contentRoot, oneOf, parse } from '../args.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { didYouMean } from '../../model/suggest.ts';
import { reportProblems } from './catalog.ts';
import { isShared } from '../../model/build-model.ts';

export const usage = 'usage: evident evidence [--project P] [--format table|json] [--content DIR]';

export async function evidence(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(args, { format: { type: 'string' }, project: { type: 'string' } }, usage);
  const format = oneOf('format', values.format, ['table', 'json'], 'table', usage);
  const { model } = await loadModel(contentRoot(values, io));
  reportProblems(model.diagnostics, io);
  if (values.project && !(values.project in model.projects)) throw new UsageError(`--project: unknown project "${values.project}".${didYouMean(values.project, Object.keys(model.projects))}`, usage);
  const items = model.evidence.filter((e) => !values.project || e.project === values.project || isShared(e.path));
  const rows = items.map((e) => ({
    path: e.path,
    project: e.project,
    stream: e.stream,
    kind: e.kind,
    ...(e.format ? { format: e.format } : {}),
    timestamp: e.timestamp ?? null,
    timestampSource: e.timestampSource,
    size: e.size,
    sha256: e.sha256,
    blob: e.blob ?? null,
    commit: e.git.last && !e.git.dirty ? { sha: e.git.last.sha, date: e.git.last.date, author: e.git.last.author, signed: e.git.last.signature.signed, signer: e.git.last.signature.signer ?? null } : null,
    dirty: e.git.dirty,
  }));
  if (format === 'json') {
    io.stdout(JSON.stringify({ evidence: rows }, null, 2) + '\n');
  } else {
    io.stdout(table(['PATH', 'PROJECT', 'KIND', 'TIMESTAMP', 'SHA-256', 'COMMIT'], rows.map((r) => [r.path, r.project ?? (isShared(r.path) ? '(shared)' : '(none)'), r.kind, r.timestamp ?? 'unknown', r.sha256.slice(0, 12), r.commit ? r.commit.sha.slice(0, 8) : r.dirty ? 'uncommitted' : '-'])));
  }
  return 0;
}
