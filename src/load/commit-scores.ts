// What `history` evaluated at each commit, cached beside the blob cache, so
// that the next run evaluates only the commits it has not seen. A commit's
// scores are a pure function of its key (`commitKey` in load-content.ts: the
// commit, and the log as git read it there, signatures included) and of the
// code that loads and evaluates it, which names the file.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogsVersion } from './builtins.ts';
import { codeVersion, writeAtomically } from './evidence-cache.ts';

/** The code that loads and evaluates a commit, and that makes its scores (the `history` command, in cli/). */
const evaluationVersion = codeVersion('../evidence/', '../policies/', '../evaluate/', '../model/', '../load/', '../parse/', '../diagnostics/', '../catalogs/', '../cli/');

/**
 * At most this many commits are kept: those this run used or evaluated, then
 * the most recently written. `history` reads 50 by default, and the portal
 * its own; a commit dropped is only evaluated again.
 */
export const keptCommits = 400;

/** Scores by commit key, in one JSON file read on first use and rewritten by `flush` when something was added. */
export class CommitScores<T> {
  readonly file: string;
  private held: Map<string, T> | undefined;
  private used = new Map<string, T>();
  private added = false;

  constructor(baseDir: string) {
    this.file = path.join(path.resolve(baseDir), `commit-scores-${evaluationVersion}-${catalogsVersion()}.json`);
  }

  private stored(): Map<string, T> {
    if (!this.held) {
      try {
        this.held = new Map(Object.entries(JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, T>));
      } catch {
        this.held = new Map(); // absent or unreadable: evaluated again
      }
    }
    return this.held;
  }

  has(key: string): boolean {
    return this.used.has(key) || this.stored().has(key);
  }

  get(key: string): T | undefined {
    const scores = this.used.get(key) ?? this.stored().get(key);
    if (scores !== undefined) this.used.set(key, scores);
    return scores;
  }

  set(key: string, scores: T): void {
    this.used.set(key, scores);
    this.added = true;
  }

  /**
   * Writes this run's commits first, then those already on disk (read again:
   * another run may have written meanwhile), up to `keptCommits`.
   */
  flush(): void {
    if (!this.added) return;
    this.held = undefined;
    const merged = new Map(this.used);
    for (const [key, scores] of this.stored()) {
      if (merged.size >= keptCommits) break;
      if (!merged.has(key)) merged.set(key, scores);
    }
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeAtomically(this.file, JSON.stringify(Object.fromEntries(merged)));
      this.held = merged;
      this.added = false;
    } catch {
      /* a store that cannot be written is only slower */
    }
  }
}
