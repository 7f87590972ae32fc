// Policy verdicts cached on disk beside the blob cache, so that a run after a
// small change re-runs only the policies whose inputs changed. A verdict is a
// pure function of its key (the policy, its parameters, the blob ids and
// timestamps of what it read, the files its parameters name, and `at` for
// policies that look at time: see verdictKey in src/evaluate/policy-runner.ts),
// and of the code of the readers and policies, which names the folder.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VerdictMemo } from '../evaluate/policy-runner.ts';
import type { PolicyVerdict } from '../policies/types.ts';
import { codeVersion } from './evidence-cache.ts';

const policyVersion = codeVersion('../evidence/', '../policies/', '../evaluate/');

export class VerdictStore implements VerdictMemo {
  readonly dir: string;
  private memory = new Map<string, PolicyVerdict>();
  private present: Set<string> | undefined;
  hits = 0;
  misses = 0;

  constructor(baseDir: string) {
    this.dir = path.join(path.resolve(baseDir), `verdicts-${policyVersion}`);
  }

  private file(key: string): { name: string; file: string } {
    const name = createHash('sha256').update(key).digest('hex');
    return { name, file: path.join(this.dir, name.slice(0, 2), `${name}.json`) };
  }

  /** Names of the stored verdicts, read once: a miss then costs no failed open(). */
  private stored(): Set<string> {
    if (!this.present) {
      this.present = new Set();
      let subdirs: string[] = [];
      try {
        subdirs = readdirSync(this.dir);
      } catch {
        /* nothing stored yet */
      }
      for (const sub of subdirs) {
        try {
          for (const name of readdirSync(path.join(this.dir, sub))) if (name.endsWith('.json')) this.present.add(name.slice(0, -5));
        } catch {
          /* not a folder */
        }
      }
    }
    return this.present;
  }

  get(key: string): PolicyVerdict | undefined {
    const held = this.memory.get(key);
    if (held) return held;
    const { name, file } = this.file(key);
    if (this.stored().has(name)) {
      try {
        const verdict = JSON.parse(readFileSync(file, 'utf8')) as PolicyVerdict;
        this.memory.set(key, verdict);
        this.hits++;
        return verdict;
      } catch {
        /* removed or corrupt: evaluate again */
      }
    }
    this.misses++;
    return undefined;
  }

  set(key: string, verdict: PolicyVerdict): void {
    this.memory.set(key, verdict);
    const { name, file } = this.file(key);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(verdict));
      renameSync(tmp, file);
      this.stored().add(name);
    } catch {
      /* a store that cannot be written is only slower */
    }
  }
}
