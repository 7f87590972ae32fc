import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { formatStylish } from '../../diagnostics/format.ts';
import { evaluate as evaluateModel } from '../../evaluate/evaluate.ts';
import { BlobReader, openRepo, readTree } from '../../load/git.ts';
import { loadModel } from '../../load/load-model.ts';
import { didYouMean } from '../../model/suggest.ts';
import { packetJobs, writePackets } from '../../pdf/write-packets.ts';
import { contentRoot, parse } from '../args.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { resolveNow } from '../now.ts';
import { version } from '../version.ts';

export const usage = 'usage: evident pdf [--content DIR] [--product P] [--framework F|all|soa] [--out DIR] [--public] [--attach-evidence] [--now ISO] [--at REV]';

export async function pdf(args: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    args,
    {
      product: { type: 'string', multiple: true },
      framework: { type: 'string', multiple: true },
      out: { type: 'string' },
      public: { type: 'boolean' },
      'attach-evidence': { type: 'boolean' },
      now: { type: 'string' },
      at: { type: 'string' },
    },
    usage,
  );
  if (values.now !== undefined) resolveNow(values.now, undefined, io.env, usage); // reject a bad --now before loading
  if (values.out === '') throw new UsageError('--out must name a folder', usage);
  const root = contentRoot(values, io);
  const { model, at } = await loadModel(root, values.at ? { at: values.at } : {});
  const products: string[] | undefined = values.product;
  for (const p of products ?? []) if (!(p in model.products)) throw new UsageError(`--product: unknown product "${p}"; known: ${Object.keys(model.products).join(', ') || 'none'}.${didYouMean(p, Object.keys(model.products))}`, usage);
  const frameworks: string[] | undefined = values.framework;
  const selected = Object.values(model.products).filter((p) => !products || products.includes(p.metadata.name));
  const known = [...new Set(selected.flatMap((p) => p.frameworks))].sort();
  for (const f of frameworks ?? []) if (f !== 'all' && f !== 'soa' && !known.includes(f)) throw new UsageError(`--framework: no selected product is attached to "${f}"; attached: ${known.join(', ') || 'none'} (or all, soa).${didYouMean(f, known)}`, usage);
  const now = resolveNow(values.now, at?.date, io.env, usage);
  const { report, diagnostics } = await evaluateModel(model, { now, version, ...(at ? { commit: { sha: at.sha, date: at.date, dirty: false } } : {}), ...(products ? { products } : {}) });
  const problems = [...model.diagnostics, ...diagnostics].filter((d) => d.severity !== 'note');
  if (problems.length) io.stderr(formatStylish(problems));

  const outDir = path.resolve(io.cwd, values.out ?? 'dist/packets');
  if (!packetJobs(report, { products, frameworks }).length) io.stderr('evident pdf: nothing to write: no selected product has a framework\n');
  await mkdir(path.dirname(outDir), { recursive: true });
  const temp = await mkdtemp(path.join(path.dirname(outDir), `.${path.basename(outDir)}.tmp-`));
  const closers: (() => void)[] = [];
  try {
    const readContentFile = values['attach-evidence'] && at ? await gitReader(root, at.sha, closers) : undefined;
    const written = await writePackets(report, model, temp, {
      public: values.public === true,
      attachEvidence: values['attach-evidence'] === true,
      contentRoot: root,
      ...(readContentFile ? { readContentFile } : {}),
      now,
      ...(products ? { products } : {}),
      ...(frameworks ? { frameworks } : {}),
      warn: (message) => io.stderr(`evident pdf: ${message}\n`),
    });
    const names = written.map((f) => path.basename(f));
    await moveIntoPlace(temp, outDir, names);
    for (const name of names) io.stdout(`${path.relative(io.cwd, path.join(outDir, name)) || name}\n`);
  } finally {
    for (const close of closers) close();
    await rm(temp, { recursive: true, force: true });
  }
  return hasErrors(model.diagnostics) || hasErrors(diagnostics) ? 1 : 0;
}

/** A fresh folder is renamed into place whole; into an existing one each file is renamed (atomic per file), other files stay. */
async function moveIntoPlace(temp: string, outDir: string, names: string[]): Promise<void> {
  const exists = await stat(outDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) {
    await chmod(temp, 0o755); // mkdtemp makes it private
    await rename(temp, outDir);
    return;
  }
  for (const name of names) await rename(path.join(temp, name), path.join(outDir, name));
  if ((await readdir(temp)).length === 0) await rm(temp, { recursive: true, force: true });
}

/** With --at, evidence to attach is read from that commit's objects, not the work tree. */
async function gitReader(root: string, sha: string, closers: (() => void)[]): Promise<((relative: string) => Promise<Uint8Array | undefined>) | undefined> {
  const repo = await openRepo(root);
  if (!repo) return undefined;
  const tree = await readTree(repo, sha);
  const reader = new BlobReader(repo);
  closers.push(() => reader.close());
  return async (relative) => {
    const entry = tree.get(relative);
    return entry ? reader.read(entry.blob) : undefined;
  };
}
