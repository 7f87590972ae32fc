// A worker of the parse pool: reads evidence (a work-tree file, or a blob it
// reads from git itself), hashes it and reads it. With a cache folder it
// writes the payload into a pack of its own and hands back only what the
// model needs (the metadata and where the payload is), so that the main
// thread, busy with its own share, never copies payloads it may not read.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readEvidence } from '../evidence/read.ts';
import type { ReadResult } from '../evidence/types.ts';
import { EvidenceCache } from './evidence-cache.ts';
import { BlobReader } from './git.ts';
import type { PoolJob, PoolMessage, PoolSetup } from './parse-pool.ts';

const { keepJson, cacheDir, git, maxFileBytes } = workerData as PoolSetup;
const keeps = (kind: string) => keepJson === 'all' || keepJson.includes(kind);
const cache = cacheDir ? new EvidenceCache(cacheDir) : undefined;
let reader: BlobReader | undefined;

/** Blob reads kept in flight ahead of the parse, so that git and parsing overlap. */
const window = 16;
const queue: { job: PoolJob; bytes: Promise<Buffer | undefined> }[] = [];
/** Batches with jobs left; `claims` is shared with the pool's other threads (see parse-pool.ts). */
const batches: { jobs: PoolJob[]; claims: Int32Array }[] = [];
let pumping = false;

/** A job's bytes; an earlier version over the size limit is not read (the main thread reports it). */
function bytesOf(job: PoolJob): Promise<Buffer | undefined> {
  if (job.abs) return Promise.resolve(readFileSync(job.abs));
  reader ??= new BlobReader(git!);
  return reader.readWithin(job.blob!, maxFileBytes).then((b) => b?.bytes);
}

/** The next job no other thread has claimed, claimed for this one. */
function claim(): PoolJob | undefined {
  while (batches.length > 0) {
    const { jobs, claims } = batches[0]!;
    const i = Atomics.add(claims, jobs.length, 1); // the batch's next index, shared by the workers
    if (i >= jobs.length) {
      batches.shift();
      continue;
    }
    if (Atomics.compareExchange(claims, i, 0, 1) === 0) return jobs[i];
  }
  return undefined;
}

/** Tops the window up once half of it is parsed: git gets its requests in batches (see `ask` in git.ts). */
function fill(): void {
  if (queue.length > window / 2) return;
  while (queue.length < window) {
    const job = claim();
    if (!job) return;
    const bytes = bytesOf(job);
    bytes.catch(() => {}); // awaited in order below
    queue.push({ job, bytes });
  }
}

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (fill(); queue.length > 0; fill()) {
      const { job, bytes } = queue.shift()!;
      parentPort!.postMessage(handle(job, await bytes.catch(() => undefined)));
    }
  } finally {
    pumping = false;
  }
}

function handle(job: PoolJob, bytes: Buffer | undefined): PoolMessage {
  if (!bytes) return { id: job.id, ok: false };
  try {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const blob = job.blob ?? createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const result = readEvidence(job.path, bytes, { keepJson: true });
    if (cache && !keeps(result.kind)) {
      const stored = cache.write(blob, job.path, result, sha256);
      if (stored) return { id: job.id, ok: true, size: bytes.length, sha256, blob, stored };
    }
    const { json, ...rest } = result;
    const sent: ReadResult = keeps(result.kind) && json !== undefined ? { ...rest, json } : rest;
    return { id: job.id, ok: true, size: bytes.length, sha256, blob, result: sent };
  } catch {
    return { id: job.id, ok: false };
  }
}

parentPort!.on('message', (message: { jobs: PoolJob[]; claims: SharedArrayBuffer } | { finish: true }) => {
  if ('jobs' in message) {
    batches.push({ jobs: message.jobs, claims: new Int32Array(message.claims) });
    void pump();
    return;
  }
  // Every job has been answered (the pool counts them): the pack's index is written, and the worker ends.
  const pack = cache?.finish();
  reader?.close();
  parentPort!.postMessage({ finished: true, pack });
});
