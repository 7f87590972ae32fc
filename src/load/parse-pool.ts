// Reads and parses evidence on worker threads while the main thread does its
// own share. Jobs are sent at once (a path and a file or blob name, a few
// bytes each): the main thread is busy parsing synchronously and would starve
// workers that waited for it to hand out the next job. Workers read the bytes
// themselves (the work tree, or their own `git cat-file`), so raw evidence
// bytes are never all held at once. With a cache, payloads stay in the
// workers' packs and only their metadata comes back, adopted into the cache
// as it arrives; results come back by key, so every output stays
// deterministic.
import { Worker } from 'node:worker_threads';
import type { ReadResult } from '../evidence/types.ts';
import { workerEnv } from './cache-dir.ts';
import type { EvidenceCache, IndexEntry } from './evidence-cache.ts';
import type { GitRepo } from './git.ts';

/** What every worker is started with. */
export interface PoolSetup {
  /** Kinds whose JSON document comes back whole (declarative policies read it); never written to a pack. */
  keepJson: string[] | 'all';
  /** The cache's base folder; without one, every result comes back whole. */
  cacheDir?: string;
  /** Where workers read blobs from. */
  git?: Pick<GitRepo, 'top' | 'env'>;
  /** Blobs larger than this are not read (see `BlobReader.readWithin`). */
  maxFileBytes: number;
}

/** A job as a worker receives it: a work-tree file (`abs`) or a git blob. */
export interface PoolJob {
  id: number;
  path: string;
  abs?: string;
  blob?: string;
}

export type PoolMessage =
  | { id: number; ok: false }
  | { id: number; ok: true; size: number; sha256: string; blob: string; stored?: { pack: string; entry: IndexEntry }; result?: ReadResult };

/** A parsed job: its payload in the cache (`stored`, already adopted), or the whole reading. */
export interface Parsed {
  size: number;
  sha256: string;
  blob: string;
  stored?: { pack: string; entry: IndexEntry };
  result?: ReadResult;
}

export interface PoolBatch {
  results: Promise<Map<string, Parsed>>;
  steal(): ParseJob | undefined;
}

export interface ParseJob {
  /** What the result is found by. */
  key: string;
  path: string;
  abs?: string;
  blob?: string;
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

/** Below this many files a worker's start-up (loading the readers) costs more than it saves. */
export const poolThreshold = 64;

export class ParsePool {
  private workers: Worker[];
  private cache: EvidenceCache | undefined;
  private pending = new Map<number, (m: PoolMessage | undefined) => void>();
  private nextId = 0;
  private failed = false;
  private closed = false;

  /** `cache` (when given) adopts every payload a worker stored, so that its `meta` and `payload` find them. */
  constructor(workers: number, setup: PoolSetup, cache?: EvidenceCache) {
    this.cache = cache;
    const data: PoolSetup = { keepJson: setup.keepJson, maxFileBytes: setup.maxFileBytes, ...(cache && setup.cacheDir ? { cacheDir: setup.cacheDir } : {}), ...(setup.git ? { git: { top: setup.git.top, env: { ...setup.git.env } } } : {}) };
    const env = workerEnv(); // the compile cache, when this process has one
    this.workers = Array.from({ length: Math.max(1, Math.min(workers, 8)) }, () => new Worker(workerFile, { workerData: data, ...(env ? { env } : {}) }));
    for (const worker of this.workers) {
      worker.on('message', (m: PoolMessage | { finished: true }) => {
        if ('finished' in m) return;
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m);
      });
      // A worker that fails leaves its jobs to the main thread.
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
    }
  }

  private fail(): void {
    this.failed = true;
    for (const done of this.pending.values()) done(undefined);
    this.pending.clear();
  }

  /**
   * Starts the jobs now: every worker takes the next unclaimed one, from the
   * front. `steal` claims one from the back for the calling thread, so that a
   * thread done with its own share helps until the two ends meet. `results`
   * resolves once every job is answered or stolen; a job a worker could not
   * handle is missing from it (read it on the main thread).
   */
  start(jobs: ParseJob[]): PoolBatch {
    const out = new Map<string, Parsed>();
    // One claim flag per job (0 free, 1 a worker's, 2 stolen), then the workers' shared next index.
    const claims = new Int32Array(new SharedArrayBuffer(4 * (jobs.length + 1)));
    const base = this.nextId;
    this.nextId += jobs.length;
    let settled = 0;
    let back = jobs.length;
    let resolve!: () => void;
    const all = new Promise<void>((r) => (resolve = r));
    const settle = () => {
      if (++settled === jobs.length) resolve();
    };
    if (this.failed || jobs.length === 0) {
      Atomics.store(claims, jobs.length, jobs.length); // nothing for workers
      resolve();
    } else {
      const sent: PoolJob[] = jobs.map((job, i) => {
        const id = base + i;
        this.pending.set(id, (m) => {
          if (m?.ok) {
            if (m.stored) this.cache?.adopt(m.blob, job.path, m.stored);
            out.set(job.key, { size: m.size, sha256: m.sha256, blob: m.blob, ...(m.stored ? { stored: m.stored } : {}), ...(m.result ? { result: m.result } : {}) });
          }
          settle();
        });
        return { id, path: job.path, ...(job.abs ? { abs: job.abs } : {}), ...(job.blob ? { blob: job.blob } : {}) };
      });
      for (const worker of this.workers) worker.postMessage({ jobs: sent, claims: claims.buffer });
    }
    const pending = this.pending;
    return {
      results: all.then(() => out),
      steal: () => {
        if (back === 0) return undefined;
        const i = --back;
        if (Atomics.compareExchange(claims, i, 0, 2) !== 0) {
          back = 0; // the workers took it, and (claiming from the front) everything before it
          return undefined;
        }
        pending.delete(base + i); // never answered: this thread parses it
        settle();
        return jobs[i];
      },
    };
  }

  /** Ends the workers at once, their packs left unindexed (never read); nothing after `close`. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
  }

  /** Ends the workers once their jobs are answered: each writes its pack's index first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (this.failed) return resolve();
            worker.on('message', (m: { finished?: true }) => {
              if (m.finished) resolve();
            });
            worker.once('exit', () => resolve());
            worker.postMessage({ finish: true });
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
