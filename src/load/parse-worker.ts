// A worker of the parse pool: reads an evidence file, hashes it and reads it,
// so that cold loads use every core. The main thread writes the cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readEvidence } from '../evidence/read.ts';

interface Job {
  id: number;
  path: string;
  abs?: string;
  bytes?: Uint8Array;
}

const { keepJson } = workerData as { keepJson: string[] | 'all' };
const keeps = (kind: string) => keepJson === 'all' || keepJson.includes(kind);

parentPort!.on('message', (job: Job) => {
  try {
    const bytes = job.bytes ?? readFileSync(job.abs!);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    let result = readEvidence(job.path, bytes, { keepJson: true });
    if (!keeps(result.kind)) {
      const { json: _json, ...rest } = result;
      result = rest;
    }
    parentPort!.postMessage({ id: job.id, ok: true, size: bytes.length, sha256, blob, result });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, ok: false, message: String((error as Error)?.message ?? error) });
  }
});
