// A worker of the parse pool: reads an evidence file, hashes it and reads it
// (through the on-disk cache), so that cold loads use every core.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readEvidence } from '../evidence/read.ts';
import { EvidenceCache } from './evidence-cache.ts';

interface Job {
  id: number;
  path: string;
  abs?: string;
  bytes?: Uint8Array;
}

const { cacheDir, keepJson } = workerData as { cacheDir?: string; keepJson: string[] | 'all' };
const cache = cacheDir ? new EvidenceCache(cacheDir) : undefined;
const keeps = (kind: string) => keepJson === 'all' || keepJson.includes(kind);

parentPort!.on('message', (job: Job) => {
  try {
    const bytes = job.bytes ?? readFileSync(job.abs!);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    let result = cache?.get(blob, job.path);
    if (!result || keeps(result.kind)) {
      result = readEvidence(job.path, bytes, { keepJson: true });
      cache?.set(blob, job.path, result, sha256);
    }
    if (!keeps(result.kind)) {
      const { json: _json, ...rest } = result;
      result = rest;
    }
    parentPort!.postMessage({ id: job.id, ok: true, size: bytes.length, sha256, blob, result });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, ok: false, message: String((error as Error)?.message ?? error) });
  }
});
