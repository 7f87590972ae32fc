// Parsed and normalised evidence cached on disk by git blob id, so that
// history over many commits and re-evaluation after a small change do not
// re-parse unchanged files. Lives outside the content root; a stale, corrupt
// or missing entry is simply read again from the source.
//
// Layout: packs. Each run that reads new evidence appends the payloads (the
// normalised data, which only policies read) to one `<id>.dat` file and, at
// the end, writes `<id>.idx.json`: per entry its metadata (kind, format,
// timestamp, problems, sha256, facets: what the model needs) and where its
// payload is. An index is written last and atomically, so a pack without
// one (an interrupted run) is never read. A warm run reads the indexes only;
// payloads are read one at a time when a policy needs one. Thousands of
// small files cost far more to write than one stream.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvidenceData, ReadResult } from '../evidence/types.ts';
import { facetsOf, type Facets } from '../evidence/facets.ts';

/** Hash of the sources under `dirs` (relative to this file): changes whenever that code changes. */
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
/** The layout of the cache (bumped when it changes). */
const format = 3;
/** More packs than this are merged into one by the next run that writes. */
const maxPacks = 24;

/** What the model needs of a reading, without the payload. */
export type CachedMeta = Omit<ReadResult, 'data' | 'json'> & { sha256?: string; facets?: Facets };

export interface IndexEntry {
  meta: CachedMeta;
  /** Payload position in the pack's .dat file. */
  at: number;
  length: number;
}

interface Loaded {
  pack: string;
  entry: IndexEntry;
}

/**
 * Indexes read in this process, by cache folder: `history` loads the content
 * once per commit, and each load would otherwise read every index again.
 */
const indexes = new Map<string, Map<string, Loaded>>();
/** Pack files held open for reading payloads, by path: shared by every cache object of the process. */
const fds = new Map<string, number>();

/**
 * The buffer payloads are encoded into before they are written, and read into
 * before they are parsed (per thread: each has its own module state). A fresh
 * buffer per payload, megabytes each, leaves the C heap fragmented: at size L
 * it held about 200 MB more at the peak.
 */
let scratch = Buffer.alloc(0);

export class EvidenceCache {
  readonly dir: string;
  hits = 0;
  misses = 0;
  private writing: { id: string; fd: number; at: number; entries: Record<string, IndexEntry> } | undefined;

  constructor(baseDir: string) {
    this.dir = path.join(path.resolve(baseDir), `readers-${readerVersion}-${format}`);
  }

  /** The entry's key. The file name takes part in detection (a clean gitleaks report), so it is part of it. */
  key(blob: string, filePath: string): string {
    return `${blob}:${path.posix.basename(filePath)}`;
  }

  private index(): Map<string, Loaded> {
    let index = indexes.get(this.dir);
    if (!index) {
      index = new Map();
      for (const pack of this.packs()) {
        try {
          const entries = JSON.parse(readFileSync(path.join(this.dir, `${pack}.idx.json`), 'utf8')) as Record<string, IndexEntry>;
          for (const [key, entry] of Object.entries(entries)) index.set(key, { pack, entry });
        } catch {
          /* unreadable: its entries are read again */
        }
      }
      indexes.set(this.dir, index);
    }
    return index;
  }

  /** Readings held (in the indexes read and this run's pack). */
  size(): number {
    return this.index().size + Object.keys(this.writing?.entries ?? {}).length;
  }

  /** Reads the indexes now (a load does it while git runs). */
  preload(): void {
    this.index();
  }

  /** Packs with an index, oldest first. */
  private packs(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.endsWith('.idx.json'))
        .map((n) => n.slice(0, -'.idx.json'.length))
        .sort();
    } catch {
      return [];
    }
  }

  /** The reading's metadata, or undefined when not cached. */
  meta(blob: string, filePath: string): CachedMeta | undefined {
    const hit = this.lookup(this.key(blob, filePath));
    if (hit) this.hits++;
    else this.misses++;
    return hit?.entry.meta;
  }

  /** An entry of an indexed pack, or of the pack this run is writing. */
  private lookup(key: string): Loaded | undefined {
    const pending = this.writing?.entries[key];
    return pending ? { pack: this.writing!.id, entry: pending } : this.index().get(key);
  }

  private fd(pack: string): number {
    if (pack === this.writing?.id) return this.writing.fd;
    const file = path.join(this.dir, `${pack}.dat`);
    let fd = fds.get(file);
    if (fd === undefined) {
      fd = openSync(file, 'r');
      fds.set(file, fd);
    }
    return fd;
  }

  /** The normalised payload, or undefined when it cannot be read; `bytes` is its size on disk. */
  payload(blob: string, filePath: string): { data: EvidenceData; bytes: number } | undefined {
    const hit = this.lookup(this.key(blob, filePath));
    if (!hit) return undefined;
    try {
      const length = hit.entry.length;
      if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, 1 << 20));
      if (readSync(this.fd(hit.pack), scratch, 0, length, hit.entry.at) !== length) return undefined;
      return { data: JSON.parse(scratch.toString('utf8', 0, length)) as EvidenceData, bytes: length };
    } catch {
      return undefined;
    }
  }

  /** Stores a reading (without its JSON document); returns the payload's size on disk, or undefined when it could not be written. */
  set(blob: string, filePath: string, result: ReadResult, sha256?: string): number | undefined {
    return this.write(blob, filePath, result, sha256)?.entry.length;
  }

  /** The same, returning the entry and the pack it is in (a parse worker hands them to the main thread). */
  write(blob: string, filePath: string, result: ReadResult, sha256?: string): { pack: string; entry: IndexEntry } | undefined {
    const key = this.key(blob, filePath);
    const { json: _json, data, ...rest } = result;
    const meta: CachedMeta = { ...rest, ...(sha256 ? { sha256 } : {}), facets: facetsOf(data) };
    try {
      if (!this.writing) {
        mkdirSync(this.dir, { recursive: true });
        const id = packId();
        this.writing = { id, fd: openSync(path.join(this.dir, `${id}.dat`), 'w+'), at: 0, entries: {} };
      }
      // Encoded into the kept buffer (see `scratch`). A short write (a full disk) leaves a payload that does
      // not parse, which is then read from the source.
      const json = JSON.stringify(data);
      if (scratch.length < json.length * 3) scratch = Buffer.allocUnsafeSlow(Math.max(json.length * 3, 1 << 20));
      const length = writeSync(this.writing.fd, scratch, 0, scratch.write(json));
      const entry: IndexEntry = { meta, at: this.writing.at, length };
      this.writing.at += length;
      this.writing.entries[key] = entry;
      return { pack: this.writing.id, entry };
    } catch {
      return undefined; // a cache that cannot be written is only slower
    }
  }

  /**
   * An entry another thread wrote into its own pack (see parse-worker.ts):
   * visible to this process from now on, and to later runs once that pack's
   * index is written.
   */
  adopt(blob: string, filePath: string, stored: { pack: string; entry: IndexEntry }): void {
    this.index().set(this.key(blob, filePath), stored);
  }

  /** A worker's end: its pack's index is written and the pack closed; returns the pack's name. */
  finish(): string | undefined {
    const w = this.writing;
    if (!w) return undefined;
    this.writing = undefined;
    try {
      writeAtomically(path.join(this.dir, `${w.id}.idx.json`), JSON.stringify(w.entries));
    } catch {
      /* not written: read again next time */
    }
    closeSync(w.fd);
    return w.id;
  }

  /**
   * Ends this run's pack: its index is written (the entries become visible to
   * the payload reader and later runs), and when there are many packs they
   * are merged into one.
   */
  flush(): void {
    const w = this.writing;
    if (!w) return;
    this.writing = undefined;
    try {
      fds.set(path.join(this.dir, `${w.id}.dat`), w.fd); // kept open for reading payloads
      writeAtomically(path.join(this.dir, `${w.id}.idx.json`), JSON.stringify(w.entries));
      const index = this.index();
      for (const [key, entry] of Object.entries(w.entries)) index.set(key, { pack: w.id, entry });
      if (this.packs().length > maxPacks) this.merge();
    } catch {
      /* not written: read again next time */
    }
  }

  /** Copies every entry into one new pack and removes the old ones (and leftovers of interrupted runs a day old). */
  private merge(): void {
    const index = this.index();
    const merged = new Set([...index.values()].map((l) => l.pack));
    const id = `${packId()}-merged`;
    const fd = openSync(path.join(this.dir, `${id}.dat`), 'w');
    const entries: Record<string, IndexEntry> = {};
    let at = 0;
    try {
      for (const [key, { pack, entry }] of index) {
        const source = this.fd(pack);
        const buffer = Buffer.allocUnsafe(entry.length);
        if (readSync(source, buffer, 0, entry.length, entry.at) !== entry.length) continue;
        writeSync(fd, buffer);
        entries[key] = { meta: entry.meta, at, length: entry.length };
        at += entry.length;
      }
    } finally {
      closeSync(fd);
    }
    writeAtomically(path.join(this.dir, `${id}.idx.json`), JSON.stringify(entries));
    const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      const pack = name.replace(/\.(dat|idx\.json)$/, '');
      if (pack === id || (!merged.has(pack) && statSync(file).mtimeMs > dayAgo)) continue;
      const fd = fds.get(file);
      if (fd !== undefined) closeSync(fd);
      fds.delete(file);
      rmSync(file, { force: true });
    }
    index.clear();
    for (const [key, entry] of Object.entries(entries)) index.set(key, { pack: id, entry });
  }
}

/** A pack name unique across runs and processes, sorting by time. */
export function packId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Written to a temporary file, then renamed: readers see the whole file or none. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export { defaultCacheDir } from './cache-dir.ts';
