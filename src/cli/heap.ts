// evident is a batch job that reads gigabytes of evidence into short-lived
// objects (file text, parsed JSON, payloads read back from the cache). V8
// lets its heap grow to several times the live data between full collections
// by default, so at size L the resident memory peaked at about 2 GB for
// 0.7 GB of live data. A growth factor of 1.5 kept it at 1.4 GB at about
// the same speed (docs/performance.md, latest round). Not a heap limit: a larger
// repository still gets all the memory it needs.
import v8 from 'node:v8';

export const heapGrowingPercent = 50;

/** Sets V8's heap growth for this process, unless the user chose one (`node --heap-growing-percent=N`; NODE_OPTIONS cannot carry it). */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /heap[-_]growing[-_]percent/.test(a))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
  return true;
}
