// Policy verdicts cached on disk beside the blob cache, so that a run after a
// small change re-runs only the policies whose inputs changed. Earlier
// history points keep their status only, and all of a policy's earlier
// points over a project one entry (see VerdictMemo). A verdict is a
// pure function of its key (the policy, its parameters, the blob ids and
// timestamps of what it read, the files its parameters name, and `at` for
// policies that look at time: see verdictKey in src/evaluate/policy-runner.ts),
// and of the code of the readers and policies, which names the folder.
import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Memoised, VerdictMemo } from '../evaluate/policy-runner.ts';
import { codeVersion, packId, writeAtomically } from './evidence-cache.ts';

const policyVersion = codeVersion('../evidence/', '../policies/', '../evaluate/');

/** Keys up to this length are also held as they are. */
const shortKey = 1024;
/** More packs than this are merged into one by the next run that writes. */
const maxPacks = 24;
/**
 * What a merge keeps: the verdicts the merging run used, and those of this
 * many newest packs (recent runs). The rest is dropped, so the store does
 * not grow with every commit a CI cache ever saw; a dropped verdict is only
 * evaluated again.
 */
const keptPacks = 8;

/**
 * Verdicts by the SHA-256 of their key, in packs: one JSON file per run that
 * evaluated something new (`flush`), read all at once on first use.
 */
export class VerdictStore implements VerdictMemo {
  readonly dir: string;
  private loaded: Map<string, Memoised> | undefined;
  private pending = new Map<string, Memoised>();
  /**
   * Verdicts already looked up or set in this process, by their key as it is
   * (no hashing on a repeat), when `rememberKeys` is on: for `history`, which
   * asks for the same keys at every commit. A single evaluation asks for each
   * key once, and at size L the keys alone would hold about 100 MB. Only
   * short keys: keys of time-dependent policies list every history point.
   */
  private byKey = new Map<string, Memoised>();
  /** Verdicts this process looked up or stored: a merge keeps them. */
  private used = new WeakSet<Memoised>();
  rememberKeys = false;
  hits = 0;
  misses = 0;

  constructor(baseDir: string) {
    this.dir = path.join(path.resolve(baseDir), `verdicts-${policyVersion}`);
  }

  private packs(): string[] {
    try {
      return readdirSync(this.dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
  }

  private stored(): Map<string, Memoised> {
    if (!this.loaded) {
      this.loaded = new Map();
      for (const pack of this.packs()) {
        try {
          for (const [hash, verdict] of Object.entries(JSON.parse(readFileSync(path.join(this.dir, pack), 'utf8')) as Record<string, Memoised>)) this.loaded.set(hash, verdict);
        } catch {
          /* unreadable: evaluated again */
        }
      }
    }
    return this.loaded;
  }

  /** Reads the packs now (a load does it while git runs). */
  preload(): void {
    this.stored();
  }

  get(key: string): Memoised | undefined {
    let verdict = this.byKey.get(key);
    if (!verdict) {
      const hash = digest(key);
      verdict = this.pending.get(hash) ?? this.stored().get(hash);
      if (verdict && this.rememberKeys && key.length <= shortKey) this.byKey.set(key, verdict);
    }
    if (verdict) {
      this.hits++;
      this.used.add(verdict);
    } else this.misses++;
    return verdict;
  }

  set(key: string, verdict: Memoised): void {
    if (this.rememberKeys && key.length <= shortKey) this.byKey.set(key, verdict);
    this.pending.set(digest(key), verdict);
    this.used.add(verdict);
  }

  /** Writes the verdicts evaluated since the last flush as one pack; many packs are merged into one. */
  flush(): void {
    if (this.pending.size === 0) return;
    const stored = this.stored();
    for (const [hash, verdict] of this.pending) stored.set(hash, verdict);
    try {
      mkdirSync(this.dir, { recursive: true });
      const packs = this.packs();
      const id = packId();
      const merging = packs.length + 1 > maxPacks;
      writeAtomically(path.join(this.dir, `${id}.json`), JSON.stringify(Object.fromEntries(merging ? this.kept(stored, packs.slice(-keptPacks)) : this.pending)));
      if (merging) for (const pack of packs) rmSync(path.join(this.dir, pack), { force: true });
      this.pending.clear();
    } catch {
      /* a store that cannot be written is only slower */
    }
  }

  /** What a merge writes: the verdicts this process used (its own included) and those in the newest packs. */
  private kept(stored: Map<string, Memoised>, newest: string[]): Map<string, Memoised> {
    const recent = new Set<string>();
    for (const pack of newest) {
      try {
        for (const hash of Object.keys(JSON.parse(readFileSync(path.join(this.dir, pack), 'utf8')) as object)) recent.add(hash);
      } catch {
        /* unreadable: its verdicts are kept only if used */
      }
    }
    const kept = new Map<string, Memoised>();
    for (const [hash, verdict] of stored) if (this.used.has(verdict) || recent.has(hash)) kept.set(hash, verdict);
    return kept;
  }
}

/** One-shot hashing: a Hash object per key cost more than the hashing (8,000 keys per evaluation at M). */
function digest(key: string): string {
  return hash('sha256', key, 'hex');
}
