// The CLI bounds V8's heap growth for large content, unless the user chose their own.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapGrowingPercent, largeContentBytes } from '../../src/load/heap.ts';
import { repoRoot } from '../helpers.ts';

/** What `code` prints in a child Node process with the given flags (v8.getHeapStatistics shows no growth, so the module's answers are checked). */
function run(code: string, execArgv: string[] = []): unknown {
  const script = `import { boundHeapForLargeContent, noteEvidenceBytes } from ${JSON.stringify(path.join(repoRoot, 'src/load/heap.ts'))}; ${code}`;
  const r = spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('heap growth', () => {
  it('is bounded once large content is listed, and not for small content', () => {
    expect(heapGrowingPercent).toBeGreaterThan(0);
    const answers = 'const small = noteEvidenceBytes(1e6); const large = noteEvidenceBytes(' + (largeContentBytes + 1) + '); const after = noteEvidenceBytes(1e6);';
    expect(run(`boundHeapForLargeContent(); ${answers} console.log(JSON.stringify({ small, large, after }))`)).toEqual({ small: false, large: true, after: true });
  });

  it('is left alone where the CLI did not ask for it (evident as a library)', () => {
    expect(run(`console.log(JSON.stringify(noteEvidenceBytes(${largeContentBytes + 1})))`)).toBe(false);
  });

  it("leaves the user's choice in node's flags", () => {
    expect(run(`console.log(JSON.stringify({ enabled: boundHeapForLargeContent(), large: noteEvidenceBytes(${largeContentBytes + 1}) }))`, ['--heap-growing-percent=80'])).toEqual({ enabled: false, large: false });
  });
});
