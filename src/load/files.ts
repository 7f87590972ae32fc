// Where content bytes come from: the work tree on disk, or a commit's tree
// read from git objects (for --at) without a checkout.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { type GitRepo, type GitSession } from './git.ts';

export interface ContentFile {
  /** Relative to the content root, forward slashes. */
  path: string;
  size: number;
  mtime?: Date;
  /** Known blob id when read from git objects. */
  blob?: string;
}

export interface FileSource {
  /** 'worktree' reads the disk; 'git' reads a commit's objects. */
  kind: 'worktree' | 'git';
  list(limits: { maxFiles: number }): Promise<{ files: ContentFile[]; diagnostics: Diagnostic[] }>;
  read(file: ContentFile): Promise<Buffer>;
  close(): void;
}

const skippedDirs = new Set(['.git', 'node_modules', '.evident-cache']);

export class WorkTreeSource implements FileSource {
  readonly kind = 'worktree';
  private realRoot: string | undefined;
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  async list(limits: { maxFiles: number }): Promise<{ files: ContentFile[]; diagnostics: Diagnostic[] }> {
    const files: ContentFile[] = [];
    const diagnostics: Diagnostic[] = [];
    // Synchronous calls: a walk awaits each one anyway, and at thousands of files the thread-pool
    // round trips of the promise API cost far more than the system calls (0.8 s against 0.05 s at 2,400 files).
    this.realRoot = realpathSync(this.root);
    const realRoot = this.realRoot;
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(path.join(this.root, dir), { withFileTypes: true });
      } catch (error) {
        diagnostics.push({ file: dir || '.', severity: 'error', code: 'file-unreadable', message: `Folder cannot be read: ${(error as Error).message}.` });
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        const abs = path.join(this.root, rel);
        if (entry.isDirectory()) {
          if (!skippedDirs.has(entry.name)) walk(rel);
          continue;
        }
        if (entry.isSymbolicLink()) {
          let target: string;
          try {
            target = realpathSync(abs);
          } catch {
            diagnostics.push({ file: rel, severity: 'warning', code: 'file-unreadable', message: 'Symbolic link points to nothing; it is skipped.' });
            continue;
          }
          if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
            diagnostics.push({ file: rel, severity: 'error', code: 'symlink-outside-root', message: `Symbolic link leads outside the content root (to ${path.basename(target)}); it is not read.` });
            continue;
          }
          const st = statSync(abs);
          if (st.isDirectory()) continue; // linked folders inside the root are reached through their real path
          files.push({ path: rel, size: st.size, mtime: st.mtime });
        } else if (entry.isFile()) {
          const st = lstatSync(abs);
          files.push({ path: rel, size: st.size, mtime: st.mtime });
        }
        if (files.length > limits.maxFiles) return;
      }
    };
    walk('');
    if (files.length > limits.maxFiles) {
      diagnostics.push({ file: '.', severity: 'error', code: 'too-many-files', message: `The content root holds more than ${limits.maxFiles} files; only the first ${limits.maxFiles} are read.` });
      files.length = limits.maxFiles;
    }
    return { files, diagnostics };
  }

  async read(file: ContentFile): Promise<Buffer> {
    // Read synchronously: files are read one after the other anyway, and thousands of small async reads
    // cost more in thread-pool round trips than in reading.
    return readFileSync(path.join(this.root, file.path));
  }

  close(): void {}
}

export class GitTreeSource implements FileSource {
  readonly kind = 'git';
  /** Objects are read through the session's reader; the session's owner closes it. */
  private session: GitSession;
  readonly repo: GitRepo;
  readonly commit: string;
  constructor(session: GitSession, commit: string) {
    this.session = session;
    this.repo = session.repo;
    this.commit = commit;
  }

  async list(limits: { maxFiles: number }): Promise<{ files: ContentFile[]; diagnostics: Diagnostic[] }> {
    const tree = await this.session.tree(this.commit);
    const diagnostics: Diagnostic[] = [];
    const files: ContentFile[] = [];
    for (const [p, entry] of [...tree].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (entry.mode === '120000') {
        diagnostics.push({ file: p, severity: 'warning', code: 'symlink-outside-root', message: 'Symbolic link in the commit is not followed when reading from git objects.' });
        continue;
      }
      if (entry.mode === '160000') continue; // submodule
      files.push({ path: p, size: entry.size, blob: entry.blob });
    }
    if (files.length > limits.maxFiles) {
      diagnostics.push({ file: '.', severity: 'error', code: 'too-many-files', message: `The content root holds more than ${limits.maxFiles} files; only the first ${limits.maxFiles} are read.` });
      files.length = limits.maxFiles;
    }
    return { files, diagnostics };
  }

  async read(file: ContentFile): Promise<Buffer> {
    const bytes = await this.session.readBlob(file.blob!);
    if (!bytes) throw new Error(`object ${file.blob} is missing`);
    return bytes;
  }

  close(): void {}
}

/** Resolves a content-relative path written in content; undefined when it leaves the root. */
export function resolveInside(fromFile: string, relative: string): string | undefined {
  if (!relative || path.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative) || relative.includes('\0')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), relative.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined;
}

/** Same, for paths written relative to the content root (Config, policy parameters). */
export function resolveRootPath(relative: string): string | undefined {
  return resolveInside('x', relative);
}
