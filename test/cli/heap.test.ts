// The CLI bounds V8's heap growth unless the user chose their own.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapGrowingPercent, tuneHeap } from '../../src/cli/heap.ts';
import { repoRoot } from '../helpers.ts';

/** What `code` prints in a child Node process with the given flags. */
function tunedIn(code: string, execArgv: string[] = []): { tuned: boolean } {
  const script = `import { tuneHeap } from ${JSON.stringify(path.join(repoRoot, 'src/cli/heap.ts'))}; ${code}`;
  const r = spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('heap growth', () => {
  it('is set for the process when the user set none', () => {
    expect(heapGrowingPercent).toBeGreaterThan(0);
    expect(tunedIn('console.log(JSON.stringify({ tuned: tuneHeap() }))')).toEqual({ tuned: true });
  });

  it("leaves the user's choice in node's flags", () => {
    expect(tuneHeap(['--heap_growing_percent=80'])).toBe(false);
    expect(tunedIn('console.log(JSON.stringify({ tuned: tuneHeap() }))', ['--heap-growing-percent=80'])).toEqual({ tuned: false });
  });
});
