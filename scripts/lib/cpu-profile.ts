// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most
// self time, and the time spent under each file of the repository.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  /** function name (or "(anonymous)") with its file and 1-based line */
  frame: string;
  ms: number;
  share: number;
}

/** Self time per function (summed over its call sites), largest first. */
export function topSelfTime(file: string, limit = 15, rootDir?: string): { totalMs: number; top: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    let where = url.replace(/^file:\/\//, '');
    if (rootDir && where.startsWith(rootDir)) where = where.slice(rootDir.length).replace(/^\//, '');
    where = where.replace(/^.*node_modules\//, '');
    const key = url ? `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}` : functionName || '(anonymous)';
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, ms]) => ({ frame, ms, share: total > 0 ? ms / total : 0 }));
  return { totalMs: total, top };
}

/**
 * Total (inclusive) time per function: the samples in which it is on the stack,
 * each counted once however deep the recursion. Only frames whose file path
 * contains `only` (say "/src/") are listed.
 */
export function topTotalTime(file: string, limit = 25, rootDir?: string, only = '/src/'): { totalMs: number; top: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const label = (n: ProfileNode) => {
    let where = n.callFrame.url.replace(/^file:\/\//, '');
    if (rootDir && where.startsWith(rootDir)) where = where.slice(rootDir.length).replace(/^\//, '');
    return `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
  };
  const totals = new Map<string, number>();
  let total = 0;
  const stackCache = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    let cached = stackCache.get(id);
    if (cached) return cached;
    const frames = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.url.includes(only)) frames.add(label(n));
    }
    cached = [...frames];
    stackCache.set(id, cached);
    return cached;
  };
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    for (const f of stackOf(id)) totals.set(f, (totals.get(f) ?? 0) + dt);
  });
  const top = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, ms]) => ({ frame, ms, share: total > 0 ? ms / total : 0 }));
  return { totalMs: total, top };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const inclusive = args.includes('--total');
  const [file, limit] = args.filter((a) => a !== '--total');
  if (!file || file === '--help') {
    process.stdout.write('usage: node scripts/lib/cpu-profile.ts FILE.cpuprofile [N] [--total]\nPrints the N functions with the most self time (default 25); with --total, the src/ functions with the most total time.\n');
    process.exit(file ? 0 : 2);
  }
  const { totalMs, top } = (inclusive ? topTotalTime : topSelfTime)(file, limit ? Number(limit) : 25, process.cwd());
  process.stdout.write(`${(totalMs / 1000).toFixed(2)} s sampled\n`);
  for (const t of top) process.stdout.write(`${t.ms.toFixed(0).padStart(8)} ms ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.frame}\n`);
}
