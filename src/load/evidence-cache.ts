// Parsed and normalised evidence cached on disk by git blob id, so that
// history over many commits and re-evaluation after a small change do not
// re-parse unchanged files. Lives outside the content root; a stale or
// corrupt entry is simply re-read.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadResult } from '../evidence/types.ts';

/** Changes whenever the readers change, so old entries are never used by new code. */
const readerVersion = (() => {
  const hash = createHash('sha256');
  const dir = fileURLToPath(new URL('../evidence/', import.meta.url));
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') || name.endsWith('.js')) hash.update(name).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
})();

/**
 * Results already read in this process, by cache key: `history` loads the
 * content once per commit, and most files are the same blobs every time.
 * Bounded; entries are shared read-only.
 */
const inMemory = new Map<string, CachedRead>();

/** A cached reading, with the SHA-256 of the bytes it was read from. */
export type CachedRead = ReadResult & { sha256?: string };
const inMemoryLimit = 100_000;

export class EvidenceCache {
  readonly dir: string;
  hits = 0;
  misses = 0;

  constructor(baseDir: string) {
    this.dir = path.join(baseDir, `readers-${readerVersion}`);
  }

  private file(blob: string, filePath: string): string {
    // The file name takes part in detection in a few cases (a clean gitleaks report), so it is part of the key.
    const key = createHash('sha1').update(blob).update('\0').update(path.posix.basename(filePath)).digest('hex');
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(blob: string, filePath: string): CachedRead | undefined {
    const file = this.file(blob, filePath);
    const memo = inMemory.get(file);
    if (memo) {
      this.hits++;
      return memo;
    }
    try {
      const result = JSON.parse(readFileSync(file, 'utf8')) as CachedRead;
      this.hits++;
      remember(file, result);
      return result;
    } catch {
      this.misses++;
      return undefined;
    }
  }

  set(blob: string, filePath: string, result: ReadResult, sha256?: string): void {
    const target = this.file(blob, filePath);
    const { json: _unused, ...withoutJson } = result;
    remember(target, { ...withoutJson, ...(sha256 ? { sha256 } : {}) });
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      const { json: _json, ...rest } = result;
      writeFileSync(tmp, JSON.stringify({ ...rest, ...(sha256 ? { sha256 } : {}) }));
      renameSync(tmp, target);
    } catch {
      /* a cache that cannot be written is only slower */
    }
  }
}

function remember(key: string, result: CachedRead): void {
  if (inMemory.size >= inMemoryLimit) inMemory.delete(inMemory.keys().next().value!);
  inMemory.set(key, result);
}

/** The default cache folder: $EVIDENT_CACHE_DIR, else $XDG_CACHE_HOME/evident, else ~/.cache/evident. */
export function defaultCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.EVIDENT_CACHE_DIR !== undefined) return env.EVIDENT_CACHE_DIR || undefined; // empty disables
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'evident') : undefined;
}
