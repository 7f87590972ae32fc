// Reads and parses evidence files on worker threads (one per core). Pays off
// on cold loads of many files; results come back by path, so the order (and
// every output) stays deterministic. Bytes are handed over in bounded batches:
// raw evidence bytes are never all held at once.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadResult } from '../evidence/types.ts';

export interface Parsed {
  size: number;
  sha256: string;
  blob: string;
  result: ReadResult;
}

/** A file on disk (`abs`) or bytes read from git objects. */
export interface ParseJob {
  key: string;
  path: string;
  abs?: string;
  bytes?: Uint8Array;
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

/** Below this many files the pool's start-up costs more than it saves. */
export const poolThreshold = 64;

export class ParsePool {
  private workers: Worker[];

  constructor(options: { keepJson: string[] | 'all'; threads?: number }) {
    const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
    this.workers = Array.from({ length: threads }, () => new Worker(workerFile, { workerData: { keepJson: options.keepJson } }));
  }

  /** Parses the jobs; a job a worker could not handle is missing from the result (read it on the main thread). */
  async parse(jobs: ParseJob[]): Promise<Map<string, Parsed>> {
    const out = new Map<string, Parsed>();
    let next = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= jobs.length) {
                worker.off('message', onMessage);
                worker.off('error', reject);
                return resolve();
              }
              const id = next++;
              const job = jobs[id];
              worker.postMessage({ id, path: job.path, abs: job.abs, bytes: job.bytes });
            };
            const onMessage = (m: { id: number; ok: boolean } & Partial<Parsed>) => {
              if (m.ok) out.set(jobs[m.id].key, { size: m.size!, sha256: m.sha256!, blob: m.blob!, result: m.result! });
              send();
            };
            worker.on('message', onMessage);
            worker.on('error', reject);
            send();
          }),
      ),
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function jobForFile(root: string, relative: string): ParseJob {
  return { key: relative, path: relative, abs: path.join(root, relative) };
}
