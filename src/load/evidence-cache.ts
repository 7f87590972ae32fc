// Parsed and normalised evidence cached on disk by git blob id, so that
// history over many commits and re-evaluation after a small change do not
// re-parse unchanged files. Lives outside the content root; a stale or
// corrupt entry is simply re-read.
//
// Each entry is two files: `<key>.meta.json` (kind, format, timestamp,
// problems, sha256: what the model needs) and `<key>.data.json` (the
// normalised payload, which only policies read, and only when their verdict
// is not cached). A warm run reads the small halves only.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvidenceData, ReadResult } from '../evidence/types.ts';
import { facetsOf, type Facets } from '../evidence/facets.ts';

/** Hash of the sources under `dir` (relative to this file): changes whenever that code changes. */
export function codeVersion(...dirs: string[]): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') || name.endsWith('.js')) hash.update(name).update(readFileSync(p));
    }
  };
  for (const dir of dirs) walk(fileURLToPath(new URL(dir, import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

/** Changes whenever the readers change, so old entries are never used by new code. */
const readerVersion = codeVersion('../evidence/');
/** The layout of entries (bumped when it changes). */
const format = 2;

/** What the model needs of a reading, without the payload. */
export type CachedMeta = Omit<ReadResult, 'data' | 'json'> & { sha256?: string; facets?: Facets };
/** A cached reading, with the SHA-256 of the bytes it was read from. */
export type CachedRead = ReadResult & { sha256?: string };

/** Metadata already read in this process (history loads the content once per commit): small, bounded. */
const metaMemo = new Map<string, CachedMeta>();
const metaMemoLimit = 500_000;

export class EvidenceCache {
  readonly dir: string;
  hits = 0;
  misses = 0;
  /** Entry files present when first asked, so that misses cost no failed open(). */
  private present: Set<string> | undefined;

  constructor(baseDir: string) {
    this.dir = path.join(baseDir, `readers-${readerVersion}-${format}`);
  }

  /** The entry's path without suffix. The file name takes part in detection (a clean gitleaks report), so it is part of the key. */
  key(blob: string, filePath: string): string {
    const key = createHash('sha1').update(blob).update('\0').update(path.posix.basename(filePath)).digest('hex');
    return path.join(this.dir, key.slice(0, 2), key);
  }

  private has(file: string): boolean {
    if (!this.present) {
      this.present = new Set();
      let subdirs: string[] = [];
      try {
        subdirs = readdirSync(this.dir);
      } catch {
        /* no cache yet */
      }
      for (const sub of subdirs) {
        try {
          for (const name of readdirSync(path.join(this.dir, sub))) this.present.add(path.join(this.dir, sub, name));
        } catch {
          /* not a folder */
        }
      }
    }
    return this.present.has(file);
  }

  /** The reading's metadata, or undefined when not cached. */
  meta(blob: string, filePath: string): CachedMeta | undefined {
    const key = this.key(blob, filePath);
    const memo = metaMemo.get(key);
    if (memo) {
      this.hits++;
      return memo;
    }
    const file = `${key}.meta.json`;
    if (this.has(file)) {
      try {
        const meta = JSON.parse(readFileSync(file, 'utf8')) as CachedMeta;
        rememberMeta(key, meta);
        this.hits++;
        return meta;
      } catch {
        /* corrupt or removed: read again */
      }
    }
    this.misses++;
    return undefined;
  }

  /** The normalised payload, or undefined when not cached; `bytes` is its size on disk. */
  payload(blob: string, filePath: string): { data: EvidenceData; bytes: number } | undefined {
    try {
      const text = readFileSync(`${this.key(blob, filePath)}.data.json`, 'utf8');
      return { data: JSON.parse(text) as EvidenceData, bytes: text.length };
    } catch {
      return undefined;
    }
  }

  /** The whole reading (metadata and payload), or undefined. */
  get(blob: string, filePath: string): CachedRead | undefined {
    const meta = this.meta(blob, filePath);
    const payload = meta && this.payload(blob, filePath);
    return meta && payload ? { ...meta, data: payload.data } : undefined;
  }

  /** Stores a reading (without its JSON document); returns the payload's size on disk, or undefined when it could not be written. */
  set(blob: string, filePath: string, result: ReadResult, sha256?: string): number | undefined {
    const key = this.key(blob, filePath);
    const { json: _json, data, ...rest } = result;
    const meta: CachedMeta = { ...rest, ...(sha256 ? { sha256 } : {}), facets: facetsOf(data) };
    rememberMeta(key, meta);
    try {
      mkdirSync(path.dirname(key), { recursive: true });
      // The payload first: a metadata file promises its payload.
      const text = JSON.stringify(data);
      writeAtomically(`${key}.data.json`, text);
      writeAtomically(`${key}.meta.json`, JSON.stringify(meta));
      this.present?.add(`${key}.meta.json`);
      return text.length;
    } catch {
      return undefined; // a cache that cannot be written is only slower
    }
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function rememberMeta(key: string, meta: CachedMeta): void {
  if (metaMemo.size >= metaMemoLimit) metaMemo.delete(metaMemo.keys().next().value!);
  metaMemo.set(key, meta);
}

/** The default cache folder: $EVIDENT_CACHE_DIR, else $XDG_CACHE_HOME/evident, else ~/.cache/evident. */
export function defaultCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.EVIDENT_CACHE_DIR !== undefined) return env.EVIDENT_CACHE_DIR || undefined; // empty disables
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'evident') : undefined;
}
