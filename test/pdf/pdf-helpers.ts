// Shared by the packet tests: the scenario evaluated by the real pipeline, the
// poppler/qpdf tools, and the pdf/verify commands run with run.ts's error rules.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { Report } from '../../src/evaluate/report-types.ts';
import { FatalError, UsageError, type CommandIO } from '../../src/cli/io.ts';
import { loadModel } from '../../src/load/load-model.ts';
import type { Model } from '../../src/model/types.ts';
import { repoRoot, tempDir } from '../helpers.ts';

export const scenarioDir = path.join(repoRoot, 'test/fixtures/scenario');
export const now = '2026-11-22T00:00:00Z';

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export const tools = { qpdf: hasTool('qpdf'), pdftotext: hasTool('pdftotext'), pdfinfo: hasTool('pdfinfo'), pdffonts: hasTool('pdffonts'), pdfdetach: hasTool('pdfdetach') };

export async function evaluateDir(dir: string): Promise<{ model: Model; report: Report }> {
  const { model } = await loadModel(dir);
  const { report } = await evaluate(model, { now, version: '0.0.0-test' });
  return { model, report };
}

/** A copy of the scenario outside the repository, so a test may change it. */
export function copyScenario(): string {
  const dir = tempDir('evident-pdf-');
  cpSync(scenarioDir, dir, { recursive: true });
  return dir;
}

export function run(tool: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const text = (file: string, first?: number, last?: number) => execFileSync('pdftotext', [...(first ? ['-f', String(first), '-l', String(last ?? first)] : []), '-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });

export function pageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

/** Runs a command module the way run.ts does: usage and fatal errors become exit codes and one line on stderr. */
export async function runCommand(command: (args: string[], io: CommandIO) => Promise<number>, args: string[], cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd };
  try {
    return { code: await command(args, io), stdout, stderr };
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, stdout, stderr: stderr + `${error.message}\n` };
    if (error instanceof FatalError) return { code: error.exitCode, stdout, stderr: stderr + `${error.message}\n` };
    throw error;
  }
}
