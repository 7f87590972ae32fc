import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BlobReader, openRepo, readTree, resolveRevision } from '../../load/git.ts';
import { compareManifest, isClean, readPacketManifest, type ManifestComparison } from '../../pdf/verify.ts';
import type { Manifest } from '../../pdf/types.ts';
import { contentRoot, parse } from '../args.ts';
import { FatalError, type CommandIO } from '../io.ts';

export const usage = 'usage: evident verify <packet.pdf> [--content DIR]';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function verify(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(args, {}, usage, { min: 1, max: 1 });
  const file = path.resolve(io.cwd, positionals[0]);
  let pdf: Buffer;
  try {
    pdf = await readFile(file);
  } catch (error) {
    throw new FatalError(`cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
  const read = readPacketManifest(pdf);
  if (!read.ok) throw new FatalError(`${positionals[0]}: ${read.reason}`, 2);
  const { manifest } = read;
  const root = contentRoot(values, io);

  const onDisk = new Map<string, string>();
  for (const f of manifest.files) {
    try {
      onDisk.set(f.path, sha256(await readFile(path.join(root, f.path))));
    } catch {
      /* missing */
    }
  }
  const disk = compareManifest(manifest, onDisk);
  const git = await checkCommit(root, manifest);

  const out: string[] = [];
  out.push(`packet ${positionals[0]}: ${manifest.kind === 'soa' ? 'statement of applicability' : 'audit packet'} of ${manifest.product}, ${manifest.framework}, evaluated at ${manifest.now}${manifest.public ? ', public edition' : ''}`);
  out.push(`content ${path.relative(io.cwd, root) || '.'}: ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'} in the manifest`);
  out.push(...describe('on disk', disk));
  out.push(git.line);
  if (git.atCommit) out.push(...describe(`at commit ${manifest.commit!.sha.slice(0, 12)}${git.countsAtCommit ? '' : ' (the packet was built from uncommitted changes; shown for information)'}`, git.atCommit));
  const failed = !isClean(disk) || git.failed || (git.atCommit !== undefined && git.countsAtCommit && !isClean(git.atCommit));
  out.push(failed ? 'FAILED: the content does not match this packet' : 'OK: every file matches this packet');
  io.stdout(out.join('\n') + '\n');
  return failed ? 1 : 0;
}

function describe(where: string, c: ManifestComparison): string[] {
  const lines = [`${where}: ${c.matched.length} match, ${c.changed.length} changed, ${c.missing.length} missing`];
  for (const m of c.changed) lines.push(`  changed ${m.path}: expected sha256 ${m.expected}, found ${m.actual}`);
  for (const p of c.missing) lines.push(`  missing ${p}`);
  return lines;
}

interface CommitCheck {
  line: string;
  failed: boolean;
  atCommit?: ManifestComparison;
  countsAtCommit: boolean;
}

/** Is the packet's commit in the repository that holds the content root, and is it HEAD? Compares the files at that commit too. */
async function checkCommit(root: string, manifest: Manifest): Promise<CommitCheck> {
  if (!manifest.commit) return { line: 'commit: the packet records none (built outside git); not checked', failed: false, countsAtCommit: false };
  const sha = manifest.commit.sha;
  const repo = await openRepo(root);
  if (!repo) return { line: `commit ${sha}: absent (the content root is not in a git repository)`, failed: true, countsAtCommit: false };
  const found = await resolveRevision(repo, sha);
  if (!found) return { line: `commit ${sha}: absent from this repository`, failed: true, countsAtCommit: false };
  const head = await resolveRevision(repo, 'HEAD');
  const line = `commit ${sha}: present, ${head === found ? 'and is HEAD' : `not HEAD (HEAD is ${head ?? 'unborn'})`}`;
  const tree = await readTree(repo, found);
  const reader = new BlobReader(repo);
  const atCommit = new Map<string, string>();
  try {
    for (const f of manifest.files) {
      const entry = tree.get(f.path);
      const bytes = entry ? await reader.read(entry.blob) : undefined;
      if (bytes) atCommit.set(f.path, sha256(bytes));
    }
  } finally {
    reader.close();
  }
  return { line, failed: false, atCommit: compareManifest(manifest, atCommit), countsAtCommit: !manifest.commit.dirty };
}
