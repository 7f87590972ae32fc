// `evident build`: the portal, packets, report.json and every export, written
// to a temporary folder beside --out and moved into place at the end, so an
// interrupted build leaves the previous output intact.
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { formatStylish } from '../../diagnostics/format.ts';
import { evaluate as evaluateModel } from '../../evaluate/evaluate.ts';
import type { Report } from '../../evaluate/report-types.ts';
import { toCycloneDxAttestation } from '../../export/cdxa.ts';
import { toJunit } from '../../export/junit.ts';
import { toMarkdown } from '../../export/markdown.ts';
import { toOscalAssessmentResults } from '../../export/oscal.ts';
import { publicReport } from '../../export/public-report.ts';
import { toResultsCsv } from '../../export/results-csv.ts';
import { defaultCacheDir } from '../../load/evidence-cache.ts';
import { loadModel } from '../../load/load-model.ts';
import type { Model } from '../../model/types.ts';
import { writePackets } from '../../pdf/write-packets.ts';
import { buildPortal } from '../../portal/build-portal.ts';
import type { HistoryPoint } from '../../portal/view-model.ts';
import { historyRows } from './history.ts';
import { contentRoot, parse } from '../args.ts';
import { FatalError, UsageError, type CommandIO } from '../io.ts';
import { resolveNow } from '../now.ts';
import { version } from '../version.ts';

export const usage = 'usage: evident build [--content DIR] [--out dist] [--public] [--attach-evidence] [--now ISO] [--at REV] [--no-portal] [--history-max N]';

export async function build(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    args,
    { out: { type: 'string' }, public: { type: 'boolean' }, 'attach-evidence': { type: 'boolean' }, now: { type: 'string' }, at: { type: 'string' }, 'no-portal': { type: 'boolean' }, 'history-max': { type: 'string' } },
    usage,
  );
  if (values.now !== undefined) resolveNow(values.now, undefined, io.env, usage);
  const root = contentRoot(values, io);
  const out = path.resolve(io.cwd, values.out ?? 'dist');
  if (isInside(out, root)) throw new FatalError(`--out ${out} is inside the content root; evident never writes into the content root.`);
  const { model, at, verdicts } = await loadModel(root, { ...(values.at ? { at: values.at } : {}), cacheDir: defaultCacheDir(io.env) });
  const now = resolveNow(values.now, at?.date, io.env, usage);
  const { report, diagnostics } = await evaluateModel(model, { now, version, ...(at ? { commit: { sha: at.sha, date: at.date, dirty: false } } : {}), ...(verdicts ? { memo: verdicts } : {}) });
  verdicts?.flush();
  const problems = [...model.diagnostics, ...diagnostics];
  if (problems.length) io.stderr(formatStylish(problems));

  await mkdir(path.dirname(out), { recursive: true });
  await removeAbandoned(out);
  const tmp = await mkdtemp(path.join(path.dirname(out), `.${path.basename(out)}.building-${process.pid}-`));
  try {
    // The trend chart: the score at each of the last commits, each evaluated at its own commit (outside git: none).
    const historyMax = values['history-max'] === undefined ? 30 : Number(values['history-max']);
    if (!Number.isInteger(historyMax) || historyMax < 0) throw new UsageError(`--history-max must be a whole number (got "${values['history-max']}")`, usage);
    const history =
      values['no-portal'] || historyMax === 0 || !model.git.available
        ? undefined
        : (await historyRows(root, { max: historyMax, ...(at ? { until: at.sha } : {}), ...(defaultCacheDir(io.env) ? { cacheDir: defaultCacheDir(io.env) } : {}) })).map((r) => ({ commit: r.sha, date: r.date, products: r.products }));
    const files = await writeOutputs(tmp, report, model, { public: values.public === true, attachEvidence: values['attach-evidence'] === true, contentRoot: values.at ? undefined : root, portal: values['no-portal'] !== true, history });
    await swapInto(tmp, out);
    io.stderr(`Wrote ${files.length} files and the portal to ${path.relative(io.cwd, out) || '.'}${values.public ? ' (public variant)' : ''}.\n`);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return hasErrors(model.diagnostics) || hasErrors(diagnostics) ? 1 : 0;
}

interface OutputOptions {
  public: boolean;
  attachEvidence: boolean;
  contentRoot: string | undefined;
  portal: boolean;
  history: HistoryPoint[] | undefined;
}

async function writeOutputs(dir: string, fullReport: Report, model: Model, options: OutputOptions): Promise<string[]> {
  const report = options.public ? publicReport(fullReport, model) : fullReport;
  const files: Record<string, string> = {
    'report.json': JSON.stringify(report, null, 2) + '\n',
    'results.csv': toResultsCsv(report),
    'junit.xml': toJunit(report),
    'summary.md': toMarkdown(report),
  };
  for (const p of fullReport.products) {
    files[`oscal/${p.name}.assessment-results.json`] = JSON.stringify(toOscalAssessmentResults(fullReport, model, p.name, { public: options.public }), null, 2) + '\n';
    files[`cyclonedx/${p.name}.cdxa.json`] = JSON.stringify(toCycloneDxAttestation(fullReport, model, p.name, { public: options.public }), null, 2) + '\n';
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const packets = await writePackets(fullReport, model, path.join(dir, 'packets'), { public: options.public, attachEvidence: options.attachEvidence, ...(options.contentRoot ? { contentRoot: options.contentRoot } : {}), now: fullReport.now });
  const written = [...Object.keys(files), ...packets.map((p) => path.relative(dir, path.resolve(dir, 'packets', p)).split(path.sep).join('/'))].sort();
  if (options.portal) {
    await buildPortal({ report: fullReport, model, outDir: dir, public: options.public, downloads: written, ...(options.contentRoot ? { contentRoot: options.contentRoot } : {}), ...(options.history ? { history: options.history } : {}) });
  }
  return written;
}

/** Removes the temporary folders of builds that were killed (their process no longer exists). */
async function removeAbandoned(out: string): Promise<void> {
  const prefix = `.${path.basename(out)}.building-`;
  for (const name of await readdir(path.dirname(out))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(path.join(path.dirname(out), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Replaces `out` with `tmp` by two renames; a concurrent build's swap never leaves a half-written folder. */
async function swapInto(tmp: string, out: string): Promise<void> {
  const old = `${tmp}.old`;
  let moved = false;
  try {
    await rename(out, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(tmp, out);
  if (moved) await rm(old, { recursive: true, force: true });
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
