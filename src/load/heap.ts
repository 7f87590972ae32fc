// evident is a batch job that reads gigabytes of evidence into short-lived
// objects (file text, parsed JSON, payloads read back from the cache). V8
// lets its heap grow to several times the live data between full collections
// by default, so at size L the resident memory peaked at about 2 GB for
// 0.7 GB of live data. A growth factor of 1.5 kept it at 1.4 GB at about
// the same speed (docs/performance.md). On small content the default growth
// is about a tenth faster, at a few tens of MB more, so the bound applies only
// to large content: the CLI enables it, and the load applies it once it has
// listed more than `largeContentBytes` of evidence. Not a heap limit: a larger
// repository still gets all the memory it needs.
import v8 from 'node:v8';

export const heapGrowingPercent = 50;
/** Evidence (current files) beyond which the heap's growth is bounded: size M holds 88 MB, L 880 MB. */
export const largeContentBytes = 256 * 1024 * 1024;

let enabled = false;
let applied = false;

/**
 * Bounds V8's heap growth for this process from the first load of large
 * content on, unless the user chose a growth of their own (`node
 * --heap-growing-percent=N`; NODE_OPTIONS cannot carry it). Returns whether it will.
 */
export function boundHeapForLargeContent(execArgv: readonly string[] = process.execArgv): boolean {
  enabled = !execArgv.some((a) => /heap[-_]growing[-_]percent/.test(a));
  return enabled;
}

/** Called by the load with the evidence bytes it listed; returns whether the bound is (now) applied. */
export function noteEvidenceBytes(bytes: number): boolean {
  if (enabled && !applied && bytes > largeContentBytes) {
    v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
    applied = true;
  }
  return applied;
}
