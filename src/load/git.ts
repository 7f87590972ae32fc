// The git edge: one batch pass over `git log` gives every file's history
// (last change, adding commit, earlier blob versions) and every commit's
// signature status. Never one git process per file.
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import type { CommitInfo, GitFileInfo, Signature } from '../model/types.ts';

const execFileAsync = promisify(execFile);

export interface GitRepo {
  /** Absolute path of the work tree's top level. */
  top: string;
  /** The content root relative to `top`, with a trailing slash, or '' when they are the same. */
  prefix: string;
  shallow: boolean;
  shallowBoundary: Set<string>;
  /** Extra `-c key=value` settings (signature verification). */
  config: string[];
  env: NodeJS.ProcessEnv;
}

export async function git(repo: Pick<GitRepo, 'top' | 'config' | 'env'>, args: string[], maxBuffer = 1 << 30): Promise<string> {
  const configArgs = repo.config.flatMap((c) => ['-c', c]);
  const { stdout } = await execFileAsync('git', [...configArgs, ...args], { cwd: repo.top, maxBuffer, env: repo.env, encoding: 'utf8' });
  return stdout;
}

/**
 * The same as `git`, for large outputs: git writes into a temporary file, not
 * a pipe, so it runs to its end while this thread is busy (a pipe holds 64 KB,
 * and git would wait for it to be read).
 */
export async function gitToFile(repo: Pick<GitRepo, 'top' | 'config' | 'env'>, args: string[]): Promise<string> {
  let dir: string;
  try {
    dir = mkdtempSync(path.join(tmpdir(), 'evident-git-'));
  } catch {
    return git(repo, args); // no temporary folder to write: through the pipe
  }
  try {
    const file = path.join(dir, 'out');
    const fd = openSync(file, 'w');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn('git', [...repo.config.flatMap((c) => ['-c', c]), ...args], { cwd: repo.top, env: repo.env, stdio: ['ignore', fd, 'pipe'] });
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed: ${stderr.trim() || `exit code ${code}`}`))));
      });
    } finally {
      closeSync(fd);
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Finds the work tree that holds `root`; undefined outside git (or without git). */
export async function openRepo(root: string, config: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<GitRepo | undefined> {
  let out: string;
  try {
    ({ stdout: out } = await execFileAsync('git', ['rev-parse', '--show-toplevel', '--show-prefix', '--is-shallow-repository', '--git-path', 'shallow'], { cwd: root, encoding: 'utf8', env }));
  } catch {
    return undefined;
  }
  const [top, prefix, shallowFlag, shallowPath] = out.split('\n');
  const shallowBoundary = new Set<string>();
  if (shallowFlag === 'true') {
    try {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(path.resolve(root, shallowPath), 'utf8');
      for (const line of text.split('\n')) if (line.trim()) shallowBoundary.add(line.trim());
    } catch {
      /* no shallow file: treat as complete */
    }
  }
  return { top, prefix, shallow: shallowFlag === 'true', shallowBoundary, config, env };
}

export async function resolveRevision(repo: GitRepo, rev: string): Promise<string | undefined> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface GitHistory {
  /** Commits that touched the content root, newest first. */
  commits: CommitInfo[];
  /** Per content-relative path. */
  files: Map<string, GitFileInfo>;
  head?: CommitInfo;
}

const RS = '\x1e';
const US = '\x1f';

/** One commit of a `git log --raw` walk and its changes under the content root. */
interface LogRecord {
  commit: CommitInfo;
  /** Each path's blob and mode after the commit and before it (`0000000…` and `000000` where there was none). */
  changes: { rel: string; blob: string; status: string; mode: string; oldBlob: string; oldMode: string }[];
}

/**
 * One `git log --raw` walk from `rev` over the content root. For every path:
 * the commit that last changed it, the commit that added its current
 * incarnation, and its earlier blob versions.
 */
export async function readHistory(repo: GitRepo, rev = 'HEAD'): Promise<GitHistory> {
  const read = await readHeadAndLog(repo, rev);
  return read ? historyFrom(read.records, 0, read.head) : { commits: [], files: new Map() };
}

/** The commit `rev` names and the log from it; undefined when git cannot read `rev`. */
async function readHeadAndLog(repo: GitRepo, rev: string): Promise<{ head: CommitInfo; records: LogRecord[] } | undefined> {
  // Both at once: two git processes on two cores.
  const log = readLog(repo, rev);
  log.catch(() => {}); // awaited below, unless `rev` does not name a commit
  let head: CommitInfo;
  try {
    const headOut = await git(repo, ['log', '-1', `--format=${commitFormat}`, rev]);
    head = parseCommitHeader(headOut.replace(RS, '').trim());
  } catch {
    return undefined;
  }
  return { head, records: await log };
}

async function readLog(repo: GitRepo, rev: string): Promise<LogRecord[]> {
  const out = await gitToFile(repo, ['log', rev, '--raw', '--no-abbrev', '--no-renames', '-z', `--format=${RS}${commitFormat}`, '--', repo.prefix ? repo.prefix : '.']);
  const records: LogRecord[] = [];
  for (const record of out.split(RS)) {
    if (!record.trim()) continue;
    const nul = record.indexOf('\0');
    const header = (nul < 0 ? record : record.slice(0, nul)).replace(/\n+$/, '');
    const changes: LogRecord['changes'] = [];
    records.push({ commit: parseCommitHeader(header), changes });
    if (nul < 0) continue;
    // -z raw format: ":mode mode blob blob STATUS\0path\0" repeated
    const parts = record.slice(nul + 1).split('\0');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const meta = parts[i].replace(/^\n/, '');
      const filePath = parts[i + 1];
      if (!meta.startsWith(':') || !filePath.startsWith(repo.prefix)) continue;
      const [oldMode, mode, oldBlob, blob, status] = meta.slice(1).split(' ');
      changes.push({ rel: filePath.slice(repo.prefix.length), blob, status, mode, oldBlob, oldMode });
    }
  }
  return records;
}

/**
 * The history as seen from `records[start]`: that commit and everything older
 * (newest first). The files' information walks every change down to the root,
 * so it is worked out on first use: `history` needs only the commits of a
 * commit whose scores it holds (its key).
 */
function historyFrom(records: LogRecord[], start: number, head: CommitInfo, shared?: Map<string, GitFileInfo>): GitHistory {
  const commits = records.slice(start).map((r) => r.commit);
  let files: Map<string, GitFileInfo> | undefined;
  return {
    commits,
    head,
    get files() {
      return (files ??= filesFrom(records, start, shared));
    },
  };
}

/**
 * Per path, its newest change and versions as seen from `records[start]`. A
 * file's information depends only on the record of its newest change and the
 * older ones, so `shared` (keyed by that record) hands the same object to
 * every commit until the file changes again.
 */
function filesFrom(records: LogRecord[], start: number, shared?: Map<string, GitFileInfo>): Map<string, GitFileInfo> {
  const files = new Map<string, GitFileInfo>();
  const added = new Set<string>();
  for (let r = start; r < records.length; r++) {
    const { commit, changes } = records[r];
    for (const { rel, blob, status } of changes) {
      let info = files.get(rel);
      if (!info) {
        if (status.startsWith('D')) {
          added.add(rel); // deleted at its newest change: no current incarnation to describe
          continue;
        }
        // Shared only while it describes the current incarnation (not one before a deletion).
        const key = added.has(rel) ? undefined : `${r}\0${rel}`;
        const known = key && shared?.get(key);
        if (known) {
          files.set(rel, known);
          added.add(rel); // complete already
          continue;
        }
        info = { last: commit, dirty: false, versions: [] };
        files.set(rel, info);
        if (key) shared?.set(key, info);
      }
      if (added.has(rel)) continue; // older incarnations before a deletion or the adding commit
      if (!status.startsWith('D')) info.versions.push({ blob, commit });
      if (status.startsWith('A')) {
        info.added = commit;
        added.add(rel);
      }
    }
  }
  return files;
}

/** Blobs up to this size are kept by a session, up to this many bytes in all. */
const smallBlobBytes = 256 * 1024;
const smallBlobBudget = 32 * 1024 * 1024;

const commitFormat = ['%H', '%cI', '%an', '%ae', '%G?', '%GS', '%GK', '%s'].join(US);

function parseCommitHeader(header: string): CommitInfo {
  const [sha, date, author, authorEmail, g, signer, key, ...subject] = header.split(US);
  return { sha, date: new Date(date).toISOString(), author, authorEmail, subject: subject.join(US), signature: signatureFrom(g, signer, key) };
}

const signatureReasons: Record<string, string> = {
  N: 'no signature',
  B: 'bad signature',
  X: 'good signature that has expired',
  Y: 'good signature made by an expired key',
  R: 'good signature made by a revoked key',
  E: 'signature cannot be checked (missing key)',
};

/**
 * G, or U with a known signer. git reports U both for a GPG key of unknown
 * trust that is in the keyring (a signer we gave it) and for an SSH signature
 * whose key is in no allowed-signers file (no signer at all); only the first
 * is verified "with the keys above" (SPEC section 1).
 */
function signatureFrom(g: string, signer: string, key: string): Signature {
  const signed = g === 'G' || (g === 'U' && signer !== '');
  return {
    status: g || 'N',
    signed,
    ...(signer ? { signer } : {}),
    ...(key ? { key } : {}),
    ...(signed ? {} : { reason: g === 'U' ? 'valid signature by a key that is in no allowed-signers file or keyring of Config.spec.signers' : (signatureReasons[g] ?? `git reports signature status ${g}`) }),
  };
}

/** `git blame --porcelain` of one file: final line number → commit sha (all zeros when uncommitted). */
export async function blame(repo: GitRepo, file: string, rev?: string): Promise<Map<number, string>> {
  const out = await git(repo, ['blame', '--porcelain', ...(rev ? [rev] : []), '--', repo.prefix + file]);
  const lines = new Map<number, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (m) lines.set(Number(m[2]), m[1]);
  }
  return lines;
}

/** A tree under the content root: content-relative path → blob, size and mode. */
export type Tree = Map<string, { blob: string; size: number; mode: string }>;

/** Blob ids of the tree at `rev` under the content root: content-relative path → blob. */
export async function readTree(repo: GitRepo, rev: string): Promise<Tree> {
  const out = await gitToFile(repo, ['ls-tree', '-r', '-l', '-z', '--full-tree', rev, '--', repo.prefix ? repo.prefix : '.']);
  const tree: Tree = new Map();
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, blob, size] = entry.slice(0, tab).split(/\s+/);
    const filePath = entry.slice(tab + 1);
    if (type !== 'blob' || !filePath.startsWith(repo.prefix)) continue;
    tree.set(filePath.slice(repo.prefix.length), { blob, size: Number(size), mode });
  }
  return tree;
}

/**
 * What consecutive loads of one repository share (`history` loads every
 * commit): the opened repository and one `git cat-file --batch` reader,
 * started on first use. Forking git from a large process costs milliseconds
 * each time. The owner closes it.
 */
export class GitSession {
  readonly repo: GitRepo;
  private blobReader: BlobReader | undefined;
  /** Commits that exist (listed by the session's owner): loads at them skip `git rev-parse`. */
  readonly known = new Set<string>();
  /** The first log read, and whether every commit in it has at most one parent. */
  private log: { signers: string; records: LogRecord[]; index: Map<string, number>; linear?: boolean; files: Map<string, GitFileInfo> } | undefined;
  /** Small blobs already read (YAML, Markdown, keys), which most commits share; oldest out first. */
  private small = new Map<string, Buffer>();
  private smallBytes = 0;
  /** Trees being read ahead (`prefetchTree`). */
  private trees = new Map<string, Promise<Tree>>();
  /** The last tree handed out, from which the next older commit's is derived. */
  private lastTree: { commit: string; tree: Tree } | undefined;
  /** Blob sizes: from the trees read, and asked of `git cat-file --batch-check` for blobs that trees derived bring back. */
  private sizes = new Map<string, number>();
  private sizer: BlobSizer | undefined;
  constructor(repo: GitRepo) {
    this.repo = repo;
  }

  get reader(): BlobReader {
    return (this.blobReader ??= new BlobReader(this.repo));
  }

  /** The tree at `commit` (`readTree`), read ahead by `prefetchTree` when its owner knows what comes next. */
  tree(commit: string): Promise<Tree> {
    const ahead = this.trees.get(commit);
    this.trees.delete(commit);
    const reading = ahead ?? this.derivedTree(commit) ?? this.listedTree(commit);
    return reading.then((tree) => {
      this.lastTree = { commit, tree };
      return tree;
    });
  }

  /** Starts reading the tree at `commit`, so that git lists it while this process works on another commit. */
  prefetchTree(commit: string): void {
    if (this.trees.has(commit)) return;
    const reading = this.derivedTree(commit) ?? this.listedTree(commit);
    reading.catch(() => {}); // reported by the load that uses it
    this.trees.set(commit, reading);
  }

  /** Trees listed by git (the others were derived). */
  treesListed = 0;

  private async listedTree(commit: string): Promise<Tree> {
    this.treesListed++;
    const tree = await readTree(this.repo, commit);
    for (const { blob, size } of tree.values()) this.sizes.set(blob, size);
    return tree;
  }

  /**
   * The tree at `commit` without listing it, when it is the commit the log
   * read before the last tree handed out (`history` walks back one commit at
   * a time): that tree with the newer commit's changes undone. Only in a log
   * without merges, where the commit before is the newer one's parent as far
   * as the content root is concerned. undefined: list it.
   */
  private derivedTree(commit: string): Promise<Tree> | undefined {
    const log = this.log;
    const last = this.lastTree;
    if (!log?.linear || !last) return undefined;
    const newer = log.index.get(last.commit);
    if (newer === undefined || log.index.get(commit) !== newer + 1) return undefined;
    const undo = log.records[newer].changes;
    // No blob before the change: the path was added (all-zero id), or was a submodule (160000), which a listing leaves out.
    const noBlobBefore = (c: (typeof undo)[number]) => /^0+$/.test(c.oldBlob) || c.oldMode === '160000';
    const derive = async () => {
      const unknown = [...new Set(undo.filter((c) => !noBlobBefore(c) && !this.sizes.has(c.oldBlob)).map((c) => c.oldBlob))];
      if (unknown.length) {
        this.sizer ??= new BlobSizer(this.repo);
        const sizes = await Promise.all(unknown.map((blob) => this.sizer!.size(blob)));
        unknown.forEach((blob, i) => {
          if (sizes[i] !== undefined) this.sizes.set(blob, sizes[i]);
        });
      }
      const tree: Tree = new Map(last.tree);
      for (const c of undo) {
        if (noBlobBefore(c)) tree.delete(c.rel);
        else {
          const size = this.sizes.get(c.oldBlob);
          if (size === undefined) throw new Error(`object ${c.oldBlob} is missing`);
          tree.set(c.rel, { blob: c.oldBlob, size, mode: c.oldMode });
        }
      }
      return tree;
    };
    // Whatever stops the derivation (a size git cannot give), git lists the tree as before.
    return derive().catch(() => this.listedTree(commit));
  }

  /** A blob's bytes, kept in memory when small: consecutive commits share most resource and proof files. */
  async readBlob(blob: string): Promise<Buffer | undefined> {
    const held = this.small.get(blob);
    if (held) return held;
    const bytes = await this.reader.read(blob);
    if (bytes && bytes.length <= smallBlobBytes) {
      this.small.set(blob, bytes);
      this.smallBytes += bytes.length;
      for (const [key, value] of this.small) {
        if (this.smallBytes <= smallBlobBudget) break;
        this.small.delete(key);
        this.smallBytes -= value.length;
      }
    }
    return bytes;
  }

  /**
   * `readHistory` at `rev`, verified with the signer settings that `signers`
   * names (undefined: not reusable). In a history without merges, the log at
   * an older commit of the first log read is the rest of that log from it, so
   * `history` runs `git log` once instead of once per commit.
   */
  async historyAt(verifying: GitRepo, rev: string, signers: string | undefined): Promise<GitHistory> {
    const log = this.log;
    const start = log && signers !== undefined && log.signers === signers ? log.index.get(rev) : undefined;
    if (log && start !== undefined && start > 0) {
      log.linear ??= !(await git(this.repo, ['rev-list', '--min-parents=2', '--max-count=1', log.records[0].commit.sha])).trim();
      if (log.linear) return historyFrom(log.records, start, log.records[start].commit, log.files);
    }
    if (log || signers === undefined) return readHistory(verifying, rev);
    const read = await readHeadAndLog(verifying, rev);
    if (!read) return { commits: [], files: new Map() };
    this.log = { signers, records: read.records, index: new Map(read.records.map((r, i) => [r.commit.sha, i])), files: new Map() };
    return historyFrom(read.records, 0, read.head, this.log.files);
  }

  close(): void {
    this.blobReader?.close();
    this.blobReader = undefined;
    this.sizer?.close();
    this.sizer = undefined;
  }
}

/** One request to a long-lived git process; its answers come in order, each settling the oldest waiting request. */
function ask<T>(queue: { resolve: (value: T) => void; reject: (e: Error) => void }[], stdin: NodeJS.WritableStream, line: string): Promise<T> {
  return new Promise((resolve, reject) => {
    queue.push({ resolve, reject });
    // The requests of one turn go to git as one write: a write per request cost about 35 µs each, a
    // fifth of a second over the earlier versions at size M (and a corked stream's writev about as much).
    const waiting = unsent.get(stdin);
    if (waiting) waiting.push(line);
    else {
      unsent.set(stdin, [line]);
      process.nextTick(() => sendUnsent(stdin));
    }
  });
}

/** Requests asked this turn and not yet written, per git process. */
const unsent = new WeakMap<NodeJS.WritableStream, string[]>();

function sendUnsent(stdin: NodeJS.WritableStream): void {
  const lines = unsent.get(stdin);
  if (!lines) return; // sent already, by `endRequests`
  unsent.delete(stdin);
  stdin.write(`${lines.join('\n')}\n`);
}

/** Ends a git process's input, after the requests still waiting for their turn's write. */
function endRequests(stdin: NodeJS.WritableStream): void {
  sendUnsent(stdin);
  stdin.end();
}

/** A long-lived `git cat-file --batch-check`: object sizes, one line per object. */
class BlobSizer {
  private proc;
  private text = '';
  private queue: { resolve: (size: number | undefined) => void; reject: (e: Error) => void }[] = [];

  constructor(repo: Pick<GitRepo, 'top' | 'env'>) {
    this.proc = spawn('git', ['cat-file', '--batch-check'], { cwd: repo.top, env: repo.env, stdio: ['pipe', 'pipe', 'ignore'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.text += chunk;
      for (let nl; (nl = this.text.indexOf('\n')) >= 0; ) {
        const line = this.text.slice(0, nl);
        this.text = this.text.slice(nl + 1);
        // "<oid> <type> <size>", or "<oid> missing"
        const [, type, size] = line.split(' ');
        this.queue.shift()?.resolve(type === 'blob' ? Number(size) : undefined);
      }
    });
    const fail = (err: Error) => {
      this.failed = err;
      for (const q of this.queue.splice(0)) q.reject(err);
    };
    this.proc.on('error', fail);
    this.proc.on('close', () => fail(new Error('git cat-file exited')));
    this.proc.stdin.on('error', () => {}); // a process that ended: reported by `fail`
  }
  private failed: Error | undefined;

  size(blob: string): Promise<number | undefined> {
    return this.failed ? Promise.reject(this.failed) : ask(this.queue, this.proc.stdin, blob);
  }

  close(): void {
    endRequests(this.proc.stdin);
  }
}

/** A blob as `BlobReader.readWithin` gives it: its size, and its bytes unless it is over the limit asked. */
export interface LimitedBlob {
  size: number;
  bytes?: Buffer;
}

/** A long-lived `git cat-file --batch` reader: one process for any number of objects. */
export class BlobReader {
  private proc;
  private buffer: Buffer = Buffer.alloc(0);
  /** Chunks of the object being received, joined once it is complete (no quadratic concatenation). */
  private parts: Buffer[] = [];
  private received = 0;
  /** Each request's limit, in the order asked (git answers in that order). */
  private limits: number[] = [];
  private queue: { resolve: (b: LimitedBlob | undefined) => void; reject: (e: Error) => void }[] = [];
  /** The object being received: its size, and whether its bytes are skipped (over its request's limit). */
  private expecting: { size: number; skip: boolean } | undefined;

  constructor(repo: Pick<GitRepo, 'top' | 'env'>) {
    this.proc = spawn('git', ['cat-file', '--batch'], { cwd: repo.top, env: repo.env, stdio: ['pipe', 'pipe', 'ignore'] });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      const e = this.expecting;
      if (e && this.buffer.length === 0) {
        // More of an object: its chunks are kept until it is complete, or dropped when it is over its limit.
        const before = this.received;
        this.received += chunk.length;
        if (!e.skip) this.parts.push(chunk);
        if (this.received < e.size + 1) return;
        if (e.skip) {
          this.buffer = chunk.subarray(e.size + 1 - before); // what follows the object and its newline
          this.settle({ size: e.size });
        } else {
          this.buffer = Buffer.concat(this.parts);
          this.parts = [];
          this.received = 0;
        }
      } else {
        this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      }
      this.drain();
    });
    this.proc.on('error', (err) => this.failAll(err));
    this.proc.on('close', () => this.failAll(new Error('git cat-file exited')));
  }

  read(blob: string): Promise<Buffer | undefined> {
    return this.readWithin(blob, Infinity).then((b) => b?.bytes);
  }

  /**
   * A blob's size, and its bytes when it is at most `maxBytes`; a larger
   * blob's bytes are dropped as they arrive, never held. undefined: git does
   * not have it.
   */
  readWithin(blob: string, maxBytes: number): Promise<LimitedBlob | undefined> {
    this.limits.push(maxBytes);
    return ask(this.queue, this.proc.stdin, blob);
  }

  close(): void {
    endRequests(this.proc.stdin);
  }

  private drain(): void {
    for (;;) {
      if (!this.expecting) {
        const nl = this.buffer.indexOf(10);
        if (nl < 0) return;
        const header = this.buffer.subarray(0, nl).toString('utf8');
        this.buffer = this.buffer.subarray(nl + 1);
        const limit = this.limits.shift() ?? Infinity;
        if (header.endsWith(' missing')) {
          this.queue.shift()?.resolve(undefined);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        this.expecting = { size, skip: size > limit };
      }
      const { size, skip } = this.expecting;
      if (this.buffer.length < size + 1) {
        // The rest of this object arrives as separate chunks (see the 'data' handler).
        this.parts = skip ? [] : [this.buffer];
        this.received = this.buffer.length;
        this.buffer = Buffer.alloc(0);
        return;
      }
      // A small object shares its chunk with others: copied, so that it does not keep them alive. A large
      // one was joined from its own chunks: handed out as it is (one allocation per object, not two).
      const view = this.buffer.subarray(0, size);
      const bytes = skip ? undefined : view.length >= 1 << 16 ? view : Buffer.from(view);
      this.buffer = this.buffer.subarray(size + 1);
      this.settle(bytes ? { size, bytes } : { size });
    }
  }

  /** The object received is done: its request is answered. */
  private settle(blob: LimitedBlob): void {
    this.expecting = undefined;
    this.received = 0;
    this.queue.shift()?.resolve(blob);
  }

  private failAll(err: Error): void {
    this.limits = [];
    for (const q of this.queue.splice(0)) q.reject(err);
  }
}

/**
 * Blob ids of the work tree's files that git knows to be unchanged since the
 * index (regular files only), by path relative to the content root; and
 * whether anything under the content root is changed or untracked. Files left
 * out are read and hashed as they are: this only saves reading clean files.
 */
export async function cleanWorkTreeBlobs(repo: GitRepo): Promise<{ blobs: Map<string, string>; dirty: boolean }> {
  const scope = repo.prefix ? repo.prefix : '.';
  const [staged, status] = await Promise.all([git(repo, ['ls-files', '-s', '-z', '--', scope]), git(repo, ['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--', scope])]);
  const changed = new Set<string>();
  for (const entry of status.split('\0')) if (entry.length > 3) changed.add(entry.slice(3));
  const blobs = new Map<string, string>();
  for (const entry of staged.split('\0')) {
    const m = /^(100644|100755) ([0-9a-f]{40,64}) 0\t(.*)$/s.exec(entry);
    if (!m || changed.has(m[3]!) || !m[3]!.startsWith(repo.prefix)) continue;
    blobs.set(m[3]!.slice(repo.prefix.length), m[2]!);
  }
  return { blobs, dirty: changed.size > 0 };
}
