// Test helpers: inline file trees, throwaway git repos with fixed dates, and
// the CLI run in-process or as a real command.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli/run.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

export function tempDir(prefix = 'evident-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeTree(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const gitEnv = (date: string) => ({
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.org',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.org',
  GIT_AUTHOR_DATE: date,
  GIT_COMMITTER_DATE: date,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
});

export function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: gitEnv('2026-01-01T00:00:00Z') });
}

/** Writes `files` (null deletes) and commits them with a fixed date; returns the sha. */
export function commit(dir: string, date: string, files: Record<string, string | null>, message = `commit at ${date}`): string {
  for (const [rel, content] of Object.entries(files)) {
    if (content === null) rmSync(path.join(dir, rel), { force: true });
    else writeTree(dir, { [rel]: content });
  }
  execFileSync('git', ['add', '-A'], { cwd: dir, env: gitEnv(date) });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: dir, env: gitEnv(date) });
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (fast; same code path as bin.ts minus process globals). */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: options.cwd ?? repoRoot, env: options.env ?? {} });
  return { code, stdout, stderr };
}

/** Runs the real command: `node src/cli/bin.ts …` with the project's Node. */
export function cliProcess(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'src/cli/bin.ts'), ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
