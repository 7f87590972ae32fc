// Streams and runs (SPEC section 4). A stream is a folder of a project's
// evidence (or evidence/_shared); the items of one kind in one stream that
// were last changed by the same commit form one run.
import type { EvidenceKind } from '../evidence/types.ts';
import type { EvidenceItem } from '../model/types.ts';
import type { HistoryPoint } from '../policies/types.ts';

export interface Run {
  stream: string;
  kind: EvidenceKind;
  /** Stream and kind: runs of one slot replace each other. */
  slot: string;
  key: string;
  timestamp: string;
  items: EvidenceItem[];
}

/** Groups items into runs; items without a usable timestamp or after `now` are left out. */
export function groupRuns(items: readonly EvidenceItem[], now: string, gitAvailable: boolean): Run[] {
  const runs = new Map<string, Run>();
  for (const item of items) {
    if (!item.timestamp || item.timestamp > now) continue;
    const commit = item.git.dirty ? 'worktree' : item.git.last?.sha;
    // Outside git (or uncommitted and not grouped by a commit) every item is its own run.
    const runKey = gitAvailable && commit ? commit : `file:${item.path}`;
    const slot = `${item.stream}\0${item.kind}`;
    const key = `${slot}\0${runKey}`;
    let run = runs.get(key);
    if (!run) {
      run = { stream: item.stream, kind: item.kind, slot, key, timestamp: item.timestamp, items: [] };
      runs.set(key, run);
    }
    run.items.push(item);
    if (item.timestamp > run.timestamp) run.timestamp = item.timestamp;
  }
  return [...runs.values()].sort((a, b) => cmp(a.timestamp, b.timestamp) || cmp(a.key, b.key));
}

type Latest = { items: EvidenceItem[]; timestamp: string | undefined };
/** Asked for every history point of every evaluation: memoised per runs list (which callers do not change) and time. */
const latestMemo = new WeakMap<readonly Run[], Map<string, Latest>>();

/** The latest run of each (stream, kind) with a timestamp up to `t`, merged. */
export function latestRuns(runs: readonly Run[], t: string): Latest {
  let memo = latestMemo.get(runs);
  if (!memo) latestMemo.set(runs, (memo = new Map()));
  let hit = memo.get(t);
  if (!hit) memo.set(t, (hit = latestRunsUncached(runs, t)));
  return hit;
}

function latestRunsUncached(runs: readonly Run[], t: string): Latest {
  const latest = new Map<string, Run>();
  for (const run of runs) {
    if (run.timestamp > t) continue;
    const current = latest.get(run.slot);
    if (!current || run.timestamp > current.timestamp || (run.timestamp === current.timestamp && run.key > current.key)) latest.set(run.slot, run);
  }
  const chosen = [...latest.values()];
  const items = chosen.flatMap((r) => r.items).sort((a, b) => cmp(a.path, b.path));
  const timestamp = chosen.reduce<string | undefined>((max, r) => (max === undefined || r.timestamp > max ? r.timestamp : max), undefined);
  return { items, timestamp };
}

/** Every earlier state: one point per distinct run timestamp up to `now`, oldest first. */
export function historyPoints(runs: readonly Run[], now: string): HistoryPoint[] {
  const times = [...new Set(runs.filter((r) => r.timestamp <= now).map((r) => r.timestamp))].sort();
  return times.map((t) => ({ timestamp: t, primary: latestRuns(runs, t).items }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
