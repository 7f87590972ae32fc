// Plans and writes a synthetic content repo (scripts/generate.ts, the bench, the tests).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeRepo, type WriteStats } from './git-writer.ts';
import { planRepo, type SizeName, type SizeSpec } from './synthetic-repo.ts';

export interface GenerateOptions {
  size: SizeName;
  seed: number;
  /** A folder that does not exist yet, or an empty one. */
  out: string;
  onCommit?: (index: number, total: number) => void;
}

export interface Generated extends WriteStats {
  spec: SizeSpec;
  /** The last commit's date: the natural `now` for evaluating the repo. */
  head: string;
}

export async function generateRepo(options: GenerateOptions): Promise<Generated> {
  if (existsSync(options.out) && readdirSync(options.out).length > 0) throw new Error(`${options.out} exists and is not empty`);
  const plan = planRepo(options.size, options.seed);
  const stats = await writeRepo(options.out, plan.commits, (i) => options.onCommit?.(i, plan.commits.length));
  return { ...stats, spec: plan.spec, head: plan.head };
}

/** Changes whenever the generator's code changes: part of the bench's cache key. */
export function generatorVersion(): string {
  const hash = createHash('sha256');
  for (const name of ['prng.ts', 'evidence-formats.ts', 'synthetic-repo.ts', 'git-writer.ts', 'generate-repo.ts']) {
    hash.update(name).update(readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url))));
  }
  return hash.digest('hex').slice(0, 12);
}
